/** Grouping: a table of rules over the conventional-commit title, breaking markers and labels. */
import { classify, groupBy, RULES, signalsOf, type GroupKey, type Rule } from '../src/changelog/group.js';

const group = (title: string, extra: { body?: string; labels?: string[]; messages?: string[] } = {}): GroupKey =>
  classify(signalsOf({ title, body: extra.body ?? '', labels: extra.labels ?? [], messages: extra.messages ?? [] }));

it.each([
  ['feat: saved carts', 'features'],
  ['feat(cart): saved carts', 'features'],
  ['Feat: upper-case type', 'features'],
  ['fix: tax rounding', 'fixes'],
  ['perf(search): cache', 'fixes'],
  ['docs: refunds', 'docs'],
  ['chore(deps): bump undici', 'chores'],
  ['ci: cache npm', 'chores'],
  ['build: node 24', 'chores'],
  ['refactor: split checkout', 'chores'],
  ['test: cover refunds', 'chores'],
  ['style: prettier', 'chores'],
  ['Improve logging', 'other'],
  ['wip: something', 'other'],
  ['revert: "feat: x"', 'other'],
] as const)('%s → %s', (title, expected) => {
  expect(group(title)).toBe(expected);
});

describe('breaking changes', () => {
  it.each([
    ['feat!: drop v1', {}],
    ['refactor(api)!: rename fields', {}],
    ['BREAKING CHANGE: config moved', {}],
    ['feat: new config', { body: 'Moves things.\n\nBREAKING CHANGE: `port` is now `listen`' }],
    ['feat: new config', { body: 'BREAKING-CHANGE: same, with a dash' }],
    ['feat: new config', { messages: ['feat: new config\n\nBREAKING CHANGE: in a commit footer'] }],
    ['Rework auth', { labels: ['breaking'] }],
    ['Rework auth', { labels: ['Breaking-Change'] }],
    ['fix: tighten validation', { labels: ['bug', 'breaking change'] }],
  ])('%s %j is breaking', (title, extra) => {
    expect(group(title, extra)).toBe('breaking');
  });

  it('prose in a PR template is not a footer', () => {
    expect(group('feat: x', { body: '- [ ] Does this introduce a BREAKING CHANGE: no\nno breaking change here' })).toBe('features');
  });
});

describe('labels are the fallback for titles without a known type', () => {
  it.each([
    [['enhancement'], 'features'],
    [['feature'], 'features'],
    [['bug'], 'fixes'],
    [['documentation'], 'docs'],
    [['dependencies'], 'chores'],
    [['customer'], 'other'],
  ] as const)('%j → %s', (labels, expected) => {
    expect(group('Make search faster', { labels: [...labels] })).toBe(expected);
  });

  it('a conventional title wins over a label', () => {
    expect(group('feat: add export', { labels: ['bug'] })).toBe('features');
  });
});

it('adding a rule is one line in the table', () => {
  const rules: Rule[] = [...RULES, { when: 'type', is: 'security', group: 'fixes' }, { when: 'label', is: 'ux', group: 'features' }];
  expect(classify(signalsOf({ title: 'Tweak buttons', body: '', labels: ['UX'], messages: [] }), rules)).toBe('features');
});

it('groupBy keeps section order and drops empty sections', () => {
  const items = [
    { n: 1, g: 'fixes' as GroupKey },
    { n: 2, g: 'breaking' as GroupKey },
    { n: 3, g: 'fixes' as GroupKey },
  ];
  expect(groupBy(items, (i) => i.g).map((g) => [g.heading, g.items.map((i) => i.n)])).toEqual([
    ['⚠ Breaking changes', [2]],
    ['Fixes', [1, 3]],
  ]);
});
