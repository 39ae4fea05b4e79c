import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTool, toolVersion } from './tools';

const repoRoot = path.resolve(__dirname, '../../..');

/** The version tools/<tool>/go.mod pins for a Go module, without the leading "v". */
function pinnedVersion(tool: string, modulePath: string): string {
  const goMod = fs.readFileSync(
    path.join(repoRoot, 'tools', tool, 'go.mod'),
    'utf8',
  );
  const match = new RegExp(
    `^\\s*(?:require\\s+)?${modulePath.replace(/[.]/g, '\\.')}\\s+v(\\S+)`,
    'm',
  ).exec(goMod);
  if (!match)
    throw new Error(`${modulePath} is not pinned in tools/${tool}/go.mod`);
  return match[1];
}

const emptyConfig = new ConfigReader({});

describe('findTool and toolVersion, the lookup the backend uses', () => {
  // scripts/test puts .tools/bin (built by tools/build.sh) on PATH, as scripts/start does.
  it('runs `opa version` found on PATH and reports the version pinned in tools/opa/go.mod', async () => {
    const opa = await findTool(emptyConfig, 'opa');
    expect(opa.source).toBe('PATH');
    expect(path.basename(opa.path)).toBe('opa');
    await expect(toolVersion(opa)).resolves.toBe(
      pinnedVersion('opa', 'github.com/open-policy-agent/opa'),
    );
  });

  it('runs `tofu version` found on PATH and reports the version pinned in tools/tofu/go.mod', async () => {
    const tofu = await findTool(emptyConfig, 'tofu');
    expect(tofu.source).toBe('PATH');
    await expect(toolVersion(tofu)).resolves.toBe(
      pinnedVersion('tofu', 'github.com/opentofu/opentofu'),
    );
  });

  it('prefers the path in config (opa.binary, iac.binary) over PATH', async () => {
    const onPath = await findTool(emptyConfig, 'tofu');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
    const link = path.join(dir, 'my-tofu');
    fs.symlinkSync(onPath.path, link);
    try {
      const config = new ConfigReader({ iac: { binary: link } });
      const tofu = await findTool(config, 'tofu', { PATH: '' });
      expect(tofu).toEqual({ name: 'tofu', path: link, source: 'config' });
      await expect(toolVersion(tofu)).resolves.toMatch(/^1\.\d+\.\d+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the config key when the configured path is not an executable', async () => {
    const config = new ConfigReader({ opa: { binary: '/nonexistent/opa' } });
    const attempt = findTool(config, 'opa');
    await expect(attempt).rejects.toThrow(NotFoundError);
    await expect(attempt).rejects.toThrow(
      "opa.binary is set to '/nonexistent/opa', but /nonexistent/opa is not an executable file",
    );
  });

  it('says where it looked when the tool is neither configured nor on PATH', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));
    try {
      await expect(
        findTool(emptyConfig, 'tofu', { PATH: dir }),
      ).rejects.toThrow(
        "'tofu' was not found: iac.binary is not set and no 'tofu' is on PATH",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips a non-executable file of the same name on PATH', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noexec-'));
    fs.writeFileSync(path.join(dir, 'opa'), 'not a program', { mode: 0o644 });
    try {
      await expect(findTool(emptyConfig, 'opa', { PATH: dir })).rejects.toThrow(
        /no 'opa' is on PATH/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
