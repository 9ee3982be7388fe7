// Grouping as a table of rules: each rule is one line naming a signal and a group; the first rule
// that matches a PR decides. Order is precedence: breaking markers, then the conventional-commit
// type of the title, then labels (the fallback for titles without a type). Matchers are strategy
// objects chosen by the rule's `when` key.

export type GroupKey = 'breaking' | 'features' | 'fixes' | 'docs' | 'chores' | 'other';

/** Section order and headings of the `## Changes` markdown. */
export const GROUPS: ReadonlyArray<{ readonly key: GroupKey; readonly heading: string }> = [
  { key: 'breaking', heading: '⚠ Breaking changes' },
  { key: 'features', heading: 'Features' },
  { key: 'fixes', heading: 'Fixes' },
  { key: 'docs', heading: 'Docs' },
  { key: 'chores', heading: 'Chores / internal' },
  { key: 'other', heading: 'Other' },
];

/** What a PR says about itself, read once. */
export interface Signals {
  /** Conventional-commit type of the title, lower case (`feat` in `feat(api)!: …`). */
  readonly type?: string;
  /** `type!:` in the title, or BREAKING CHANGE in the title, the PR body or a commit footer. */
  readonly breakingMarker: boolean;
  /** Lower case. */
  readonly labels: ReadonlySet<string>;
}

export type Rule =
  | { readonly when: 'breaking-marker'; readonly group: GroupKey }
  | { readonly when: 'type'; readonly is: string; readonly group: GroupKey }
  | { readonly when: 'label'; readonly is: string; readonly group: GroupKey };

export const RULES: readonly Rule[] = [
  { when: 'breaking-marker', group: 'breaking' },
  { when: 'label', is: 'breaking', group: 'breaking' },
  { when: 'label', is: 'breaking-change', group: 'breaking' },
  { when: 'label', is: 'breaking change', group: 'breaking' },
  { when: 'type', is: 'feat', group: 'features' },
  { when: 'type', is: 'feature', group: 'features' },
  { when: 'type', is: 'fix', group: 'fixes' },
  { when: 'type', is: 'perf', group: 'fixes' },
  { when: 'type', is: 'security', group: 'fixes' },
  { when: 'type', is: 'docs', group: 'docs' },
  { when: 'type', is: 'chore', group: 'chores' },
  { when: 'type', is: 'ci', group: 'chores' },
  { when: 'type', is: 'build', group: 'chores' },
  { when: 'type', is: 'refactor', group: 'chores' },
  { when: 'type', is: 'test', group: 'chores' },
  { when: 'type', is: 'tests', group: 'chores' },
  { when: 'type', is: 'style', group: 'chores' },
  { when: 'type', is: 'deps', group: 'chores' },
  { when: 'label', is: 'enhancement', group: 'features' },
  { when: 'label', is: 'feature', group: 'features' },
  { when: 'label', is: 'bug', group: 'fixes' },
  { when: 'label', is: 'bugfix', group: 'fixes' },
  { when: 'label', is: 'performance', group: 'fixes' },
  { when: 'label', is: 'security', group: 'fixes' },
  { when: 'label', is: 'documentation', group: 'docs' },
  { when: 'label', is: 'docs', group: 'docs' },
  { when: 'label', is: 'dependencies', group: 'chores' },
  { when: 'label', is: 'chore', group: 'chores' },
  { when: 'label', is: 'ci', group: 'chores' },
  { when: 'label', is: 'refactor', group: 'chores' },
  { when: 'label', is: 'internal', group: 'chores' },
];

type Matcher<W extends Rule['when']> = (rule: Extract<Rule, { when: W }>, signals: Signals) => boolean;

const MATCHERS: { readonly [W in Rule['when']]: Matcher<W> } = {
  'breaking-marker': (_rule, s) => s.breakingMarker,
  type: (rule, s) => s.type === rule.is,
  label: (rule, s) => s.labels.has(rule.is),
};

const matches = (rule: Rule, signals: Signals): boolean => (MATCHERS[rule.when] as Matcher<Rule['when']>)(rule, signals);

// `type(scope)!: subject` — the Conventional Commits header.
const HEADER = /^\s*([A-Za-z]+)(?:\([^()\r\n]*\))?(!)?:\s*\S/;
// A footer starts a line; prose such as "no breaking change here" in a PR template does not count.
const FOOTER = /^BREAKING[ -]CHANGE:/m;
const IN_TITLE = /\bBREAKING[ -]CHANGE\b/;

export function signalsOf(pr: { readonly title: string; readonly body: string; readonly labels: readonly string[]; readonly messages: readonly string[] }): Signals {
  const header = HEADER.exec(pr.title);
  const breakingMarker = header?.[2] === '!' || IN_TITLE.test(pr.title) || FOOTER.test(pr.body) || pr.messages.some((m) => FOOTER.test(m));
  return { ...(header?.[1] && { type: header[1].toLowerCase() }), breakingMarker, labels: new Set(pr.labels.map((l) => l.trim().toLowerCase())) };
}

export function classify(signals: Signals, rules: readonly Rule[] = RULES): GroupKey {
  return rules.find((rule) => matches(rule, signals))?.group ?? 'other';
}

/** Non-empty groups in section order, each keeping its items' order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => GroupKey): Array<{ key: GroupKey; heading: string; items: T[] }> {
  return GROUPS.map((g) => ({ ...g, items: items.filter((item) => key(item) === g.key) })).filter((g) => g.items.length > 0);
}
