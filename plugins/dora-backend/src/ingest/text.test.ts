/*
 * The linear scanners against the regular expressions they replace, on generated text (seeded):
 * short strings over the alphabets that matter to each pattern, where the old expressions are still
 * fast, must give the same answers. The time bounds on large input are in adversarial.*.test.ts.
 */
import fc from 'fast-check';
import { slugFromSourceLocation } from '../attribution/Attribution';
import { incidentReferences, isHotfix, isRevert } from './events';
import { containsWord, trailingSha } from './text';

const SEED = 20261211;
const runs = { seed: SEED, numRuns: 3000 };

/** Strings made of pieces that the patterns care about, so that matches and near misses are common. */
const textOf = (pieces: string[], maxLength = 12) =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map(a => a.join(''));

const old = {
  deployment: (t: string) =>
    /^\s*(?:caused-by-)?deployment:\s*(\S+)\s*$/im.exec(t)?.[1],
  rootCause: (t: string) =>
    /^\s*root[- ]cause:\s*([0-9a-f]{7,40})\b/im.exec(t)?.[1],
  revert: (t: string) =>
    /^Revert\b/i.test(t.trim()) || /This reverts commit [0-9a-f]{7,40}/.test(t),
  hotfix: (t: string) => /\bhot-?fix\b/i.test(t),
  rollback: (t: string) => /\brollback\b/i.test(t),
  trailingSha: (t: string) => /[@:]([0-9a-f]{7,40})$/.exec(t)?.[1],
  slug: (location: string) => {
    const m =
      /^url:https?:\/\/[^/]+\/(.+?)(?:\/-)?\/(?:tree|blob|src)\/.*$/.exec(
        location,
      ) ?? /^url:https?:\/\/[^/]+\/([^?#]+?)\/?(?:\.git)?$/.exec(location);
    return m?.[1]?.replace(/\.git$/, '').toLowerCase();
  },
};

const SPACE = [' ', '\t', '\n', '\r', '\r\n', '\u2028', '\u00a0', '\ufeff'];
const HEX = [
  '0',
  '7',
  'a',
  'f',
  'A',
  'F',
  'abcdef1',
  '0123456789',
  'abcdef0123456789abcdef0123456789abcdef',
];

describe('linear scanners agree with the regular expressions they replace', () => {
  it('Deployment: and Root-cause: lines', () => {
    const text = textOf([
      ...SPACE,
      ...HEX,
      'Deployment:',
      'deployment:',
      'CAUSED-BY-deployment:',
      'caused-by-',
      'root-cause:',
      'Root cause:',
      'root',
      'x',
      'g',
      '_',
      '-',
      ':',
      '#12',
    ]);
    fc.assert(
      fc.property(text, t => {
        expect(incidentReferences(t)).toEqual({
          deploymentRef: old.deployment(t),
          rootCauseSha: old.rootCause(t),
        });
      }),
      runs,
    );
  });

  it('reverts, hotfixes and rollbacks', () => {
    const text = textOf([
      ...SPACE,
      ...HEX,
      'Revert',
      'revert',
      'REVERT "x"',
      'This reverts commit ',
      'this reverts commit ',
      'hotfix',
      'hot-fix',
      'HotFix',
      'hot',
      'fix',
      'rollback',
      'Rollback',
      'roll',
      'back',
      '\u212a',
      'İ',
      'x',
      '_',
      '-',
      '.',
    ]);
    fc.assert(
      fc.property(text, t => {
        expect(isRevert(t)).toBe(old.revert(t));
        expect(isHotfix(t)).toBe(old.hotfix(t));
        expect(containsWord(t, 'rollback')).toBe(old.rollback(t));
      }),
      runs,
    );
  });

  it('a trailing sha of an artifact id', () => {
    const text = textOf(
      ['@', ':', 'pkg:oci/web', 'sha256', ...HEX, 'g', '\n'],
      10,
    );
    fc.assert(
      fc.property(text, t => expect(trailingSha(t)).toBe(old.trailingSha(t))),
      runs,
    );
  });

  it('a repository slug from a source location', () => {
    const rest = textOf(
      [
        'url:',
        'https://',
        'github.com',
        '/',
        'acme',
        'Repo',
        '.git',
        '/-',
        '/tree/',
        '/blob/',
        '/src/',
        'main',
        '?',
        '#',
        '\n',
        '\u2028',
        ' ',
      ],
      10,
    );
    const text = fc
      .tuple(
        fc.constantFrom(
          'url:https://github.com/',
          'url:http://h/',
          'url:https://',
          'url:http://g\n?/',
          'x',
          '',
        ),
        rest,
      )
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(text, t =>
        expect(slugFromSourceLocation(t)).toBe(old.slug(t)),
      ),
      runs,
    );
    expect(
      slugFromSourceLocation(
        'url:https://gitlab.example/acme/ui-kit/-/tree/main/',
      ),
    ).toBe('acme/ui-kit');
    expect(
      slugFromSourceLocation('url:https://github.com/acme/Payments-API.git'),
    ).toBe('acme/payments-api');
  });
});
