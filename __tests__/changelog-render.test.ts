/** The `## Changes` markdown: layout, author links, and text someone else wrote rendered inert. */
import { renderChanges, webLinks, type ChangesView } from '../src/changelog/render.js';

const links = webLinks({ serverUrl: 'https://github.com', owner: 'acme', repo: 'shop' });

function view(over: Partial<ChangesView> = {}): ChangesView {
  return {
    range: { from: 'v1.0.0', to: 'a'.repeat(40), firstRelease: false, commits: 5 },
    branch: 'main',
    groups: [],
    commitsWithoutPr: [],
    contributors: [],
    firstTimeContributors: [],
    warnings: [],
    ...over,
  };
}

const withTitle = (title: string, author = 'mallory') => view({ groups: [{ heading: 'Other', items: [{ number: 7, title, author }] }] });

it('renders the sections, lines `title (#N) by @author`, contributors and first-timers', () => {
  const markdown = renderChanges(
    view({
      groups: [
        { heading: '⚠ Breaking changes', items: [{ number: 4, title: 'feat!: drop v1', author: 'bob' }] },
        { heading: 'Fixes', items: [{ number: 2, title: 'fix: tax', author: 'alice' }] },
      ],
      commitsWithoutPr: [{ sha: 'b'.repeat(40), title: 'chore: bump', author: 'Frank Admin', author_login: null, other_prs: [{ number: 9, base: 'develop' }] }],
      contributors: ['alice', 'bob'],
      firstTimeContributors: ['bob'],
    }),
    { links },
  );
  expect(markdown).toBe(
    [
      '## Changes',
      '',
      'Since v1.0.0 on main: 2 pull requests, 5 commits ([compare](https://github.com/acme/shop/compare/v1.0.0...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)).',
      '',
      '### ⚠ Breaking changes',
      '',
      '- feat!: drop v1 ([#4](https://github.com/acme/shop/pull/4)) by [@bob](https://github.com/bob)',
      '',
      '### Fixes',
      '',
      '- fix: tax ([#2](https://github.com/acme/shop/pull/2)) by [@alice](https://github.com/alice)',
      '',
      '### Commits without a pull request',
      '',
      '- [`bbbbbbb`](https://github.com/acme/shop/commit/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb) chore: bump — Frank Admin (merged as [#9](https://github.com/acme/shop/pull/9) into develop)',
      '',
      '### Contributors',
      '',
      '[@alice](https://github.com/alice), [@bob](https://github.com/bob)',
      '',
      'First-time contributors: [@bob](https://github.com/bob)',
      '',
    ].join('\n'),
  );
});

describe('hostile titles are inert', () => {
  it('no raw HTML', () => {
    const md = renderChanges(withTitle('<img src=x onerror=alert(1)> & <script>alert(1)</script>'), { links });
    expect(md).not.toMatch(/<img|<script/);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;');
  });

  it('no @-mentions the author did not mean', () => {
    const md = renderChanges(withTitle('ping @everyone and @acme/sre, mail me@example.com'), { links });
    expect(md).not.toMatch(/@everyone|@acme\/sre/);
    // Still readable: a zero-width joiner after the @.
    expect(md).toContain('@\u200deveryone');
  });

  it('no #-references that link issues', () => {
    const md = renderChanges(withTitle('closes #123 and acme/other#4'), { links });
    expect(md).not.toMatch(/#123|#4\b/);
    expect(md).toContain('([#7](https://github.com/acme/shop/pull/7))');
  });

  it('no javascript: (or any) links, markdown or autolink', () => {
    const md = renderChanges(withTitle('[x](javascript:alert(1)) <javascript:alert(2)> ![i](https://evil/x.png) https://evil.example'), { links });
    // Brackets escaped (`\[x\](…)` is text, not a link), `<` an entity, the scheme broken by a joiner.
    expect(md).not.toMatch(/(?<!\\)\[x(?<!\\)\]\(|(?<!\\)\]\(javascript|<javascript|!\[i|https:\/\/evil/);
  });

  it('no bidirectional overrides or control characters, no line breaks that start new blocks', () => {
    const md = renderChanges(withTitle('fix: \u202eevil\u202c\n# heading\r\n<div>'), { links });
    expect(md).not.toMatch(/[\u202a-\u202e]|\n# heading|<div>/);
  });

  it('commit messages and git author names too', () => {
    const md = renderChanges(view({ commitsWithoutPr: [{ sha: 'c'.repeat(40), title: '@everyone <b>x</b>', author: '<img src=x>', author_login: null, other_prs: [] }] }), { links });
    expect(md).not.toMatch(/@everyone|<b>|<img/);
  });
});

describe('authors', () => {
  it('link to the profile without a mention by default; `ping` writes a real mention', () => {
    expect(renderChanges(withTitle('fix: x', 'alice'), { links })).toContain('by [@alice](https://github.com/alice)');
    expect(renderChanges(withTitle('fix: x', 'alice'), { links, mentions: 'ping' })).toContain('by @alice\n');
  });

  it('bots are always linked (a mention of @dependabot would reach an unrelated user)', () => {
    expect(renderChanges(withTitle('chore(deps): bump', 'dependabot[bot]'), { links, mentions: 'ping' })).toContain('by [@dependabot\\[bot\\]](https://github.com/apps/dependabot)');
  });

  it('a deleted account or an odd login is plain text', () => {
    expect(renderChanges(withTitle('fix: x', 'ghost'), { links })).toContain('by ghost');
    expect(renderChanges(withTitle('fix: x', 'a b<c>'), { links })).toContain('by a b&lt;c&gt;');
  });
});

describe('range lines', () => {
  it('a first release says so', () => {
    expect(renderChanges(view({ range: { to: 'd'.repeat(40), firstRelease: true, commits: 3 } }), { links })).toContain('First release: the whole history of `ddddddd` (0 pull requests, 3 commits).');
  });

  it('an empty range says there are no changes', () => {
    expect(renderChanges(view({ range: { from: 'v1.0.0', to: 'a'.repeat(40), firstRelease: false, commits: 0 } }), { links })).toContain('No changes since v1.0.0.');
  });
});

it('lists at most maxCommitsWithoutPr commits without PR and says how many more', () => {
  const commits = Array.from({ length: 5 }, (_, i) => ({ sha: String(i).repeat(40), title: `push ${i}`, author: 'x', author_login: null, other_prs: [] }));
  const md = renderChanges(view({ commitsWithoutPr: commits }), { links, maxCommitsWithoutPr: 2 });
  expect(md.match(/^- \[`/gm)).toHaveLength(2);
  expect(md).toContain('- … and 3 more commits without a pull request');
});

it('renders warnings as notes, inert', () => {
  expect(renderChanges(view({ warnings: ["previous-release-tag 'v1' is not an ancestor"] }), { links })).toContain("> **Note:** previous-release-tag 'v1' is not an ancestor");
});
