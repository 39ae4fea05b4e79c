import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  assertDoraProductionConfig,
  doraProductionProblems,
  PRODUCTION_MIN_SECRET_LENGTH,
  REPOSITORY_SECRETS,
} from './productionChecks';

const strong = randomBytes(24).toString('base64'); // 32 characters, not in the repository
const config = (dora: object) => new ConfigReader({ dora });
const github = (secret: string) => ({ id: 'github', type: 'github', secret });

describe('doraProductionProblems', () => {
  it('accepts a long secret that is not in the repository, with seeding off', () => {
    expect(strong).toHaveLength(PRODUCTION_MIN_SECRET_LENGTH);
    expect(
      doraProductionProblems(
        config({ sources: [github(strong)], demo: { seed: false } }),
      ),
    ).toEqual([]);
    expect(doraProductionProblems(config({}))).toEqual([]);
  });

  it.each([...REPOSITORY_SECRETS])(
    'refuses the repository value %#, naming the key and not the value',
    secret => {
      const problems = doraProductionProblems(
        config({ sources: [github(strong), github(secret)] }),
      );
      expect(problems).toEqual([
        'dora.sources[1].secret: must not be a value that appears in the repository (production)',
      ]);
      expect(problems.join()).not.toContain(secret);
    },
  );

  it('refuses a repository value with surrounding blanks', () => {
    expect(
      doraProductionProblems(
        config({ sources: [github(' local-demo-secret-not-for-production ')] }),
      ),
    ).toHaveLength(1);
  });

  it('refuses a secret shorter than 32 characters, naming the key', () => {
    const short = strong.slice(0, PRODUCTION_MIN_SECRET_LENGTH - 1);
    const problems = doraProductionProblems(
      config({ sources: [github(short)] }),
    );
    expect(problems).toEqual([
      'dora.sources[0].secret: must be at least 32 characters (production)',
    ]);
    expect(problems.join()).not.toContain(short);
  });

  it('refuses demo seeding', () => {
    expect(
      doraProductionProblems(
        config({ sources: [github(strong)], demo: { seed: true } }),
      ),
    ).toEqual([
      'dora.demo.seed: must be false (production): the demo history is signed with a secret from the repository',
    ]);
  });
});

describe('assertDoraProductionConfig', () => {
  const embeddedDefault = config({
    sources: [
      {
        id: 'github-demo',
        type: 'github',
        secret: 'local-demo-secret-not-for-production',
      },
    ],
    demo: { seed: true },
  });

  it('throws only with NODE_ENV=production, listing every key', () => {
    expect(() =>
      assertDoraProductionConfig(embeddedDefault, 'development'),
    ).not.toThrow();
    expect(() =>
      assertDoraProductionConfig(embeddedDefault, 'test'),
    ).not.toThrow();
    expect(() =>
      assertDoraProductionConfig(embeddedDefault, 'production'),
    ).toThrow(
      /dora\.sources\[0\]\.secret: must not be a value that appears in the repository \(production\); dora\.demo\.seed: must be false/,
    );
    expect(() =>
      assertDoraProductionConfig(
        config({ sources: [github(strong)] }),
        'production',
      ),
    ).not.toThrow();
  });
});

/**
 * The rule "a webhook secret must not be a value that appears in the repository" rests on
 * REPOSITORY_SECRETS being complete. This scans every file git tracks for values shaped like a
 * secret (the default of a ${..SECRET..:-default} substitution, or of one whose variable names a
 * TOKEN, KEY, PASSWORD or PASSPHRASE; a `secret:` or `token:` literal in YAML or Markdown; a
 * quoted string given to a secret, token, passphrase or password name in code) and requires each
 * one of 32 characters or more to be listed. Shorter ones are refused by their length.
 */
describe('REPOSITORY_SECRETS', () => {
  const repoRoot = path.resolve(__dirname, '../../../..');
  const substitution =
    /\$\{(\w*(?:SECRET|TOKEN|KEY|PASSWORD|PASSPHRASE)\w*):-([^}\n]*)\}/gi;
  const yamlLiteral =
    /^[\s#-]*(?:secret|token)\s*:\s*(['"]?)([A-Za-z0-9._~+/=-]{8,})\1\s*(?:#.*)?$/gim;
  const codeLiteral =
    /(?:secret|token|passphrase|password)\w*['"]?\s*[:=]\s*(['"`])([^'"`\n$]{8,})\1/gi;

  function valuesIn(file: string, text: string): string[] {
    const found = [...text.matchAll(substitution)].map(m => m[2].trim());
    if (/\.(ya?ml|md)$/.test(file))
      found.push(...[...text.matchAll(yamlLiteral)].map(m => m[2]));
    if (/\.(ts|tsx|js|cjs|mjs|md)$/.test(file))
      found.push(...[...text.matchAll(codeLiteral)].map(m => m[2]));
    // a config key given to a name such as passphraseKey is not a secret
    return found.filter(v => v.length > 0 && !/^[a-z]+(\.[a-zA-Z]+)+$/.test(v));
  }

  it('lists every secret-shaped value of 32 or more characters in the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\0')
      .filter(
        f =>
          f &&
          !f.startsWith('.yarn/') &&
          f !== 'yarn.lock' &&
          /\.(ya?ml|md|ts|tsx|js|cjs|mjs|json|sh|tf|rego|env)$|(^|\/)[^.]+$/.test(
            f,
          ),
      );
    const found = new Map<string, string[]>(); // value -> files
    for (const file of files) {
      const full = path.join(repoRoot, file);
      if (!fs.existsSync(full) || fs.statSync(full).size > 1024 * 1024)
        continue;
      for (const value of valuesIn(file, fs.readFileSync(full, 'utf8')))
        found.set(value, [...new Set([...(found.get(value) ?? []), file])]);
    }
    // the scan finds what it is meant to find: the embedded default and the test secrets
    expect(found.get('local-demo-secret-not-for-production')).toContain(
      'app-config.yaml',
    );
    expect(found.has('dev-gitlab-webhook-token')).toBe(true);
    expect(found.has('github-test-secret-0123456789')).toBe(true);

    const missing = [...found]
      .filter(
        ([v]) =>
          v.length >= PRODUCTION_MIN_SECRET_LENGTH &&
          !REPOSITORY_SECRETS.has(v),
      )
      .map(([v, f]) => `${f.join(', ')}: ${v}`);
    expect(missing).toEqual([]);
  });
});
