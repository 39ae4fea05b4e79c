import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');
const checkConfig = path.join(repoRoot, 'scripts/check-config');

/** Runs scripts/check-config (what scripts/start runs first) on the given config text. */
async function check(configText: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-config-'));
  const file = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(file, configText);
  try {
    const { stdout, stderr } = await execFileAsync(checkConfig, [file], {
      cwd: repoRoot,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error: any) {
    return {
      code: error.code as number,
      output: `${error.stdout}${error.stderr}`,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const appConfig = fs.readFileSync(
  path.join(repoRoot, 'app-config.yaml'),
  'utf8',
);

describe('app-config.yaml checked at start', () => {
  jest.setTimeout(60_000);

  it('accepts the committed app-config.yaml', async () => {
    const result = await check(appConfig);
    expect(result.output).toContain('matches the config schema');
    expect(result.code).toBe(0);
  });

  it('fails on a wrong type for a known key, naming the key', async () => {
    const broken = appConfig.replace(
      'title: Acme Developer Portal',
      'title: [not, a, string]',
    );
    expect(broken).not.toBe(appConfig);
    const result = await check(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('app.title: must be string');
  });

  it('fails on a value outside a known key’s allowed values, naming the key', async () => {
    const broken = appConfig.replace(
      'client: better-sqlite3',
      'client: sqlite-but-wrong',
    );
    const result = await check(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'backend.database.client: must be equal to one of the allowed values',
    );
  });
});
