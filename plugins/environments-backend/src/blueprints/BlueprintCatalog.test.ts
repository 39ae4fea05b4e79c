/*
 * The blueprints in templates/environments, and the loader's behaviour with a broken one. The
 * modules are checked with the real OpenTofu from tools/: `tofu fmt` for all, and `tofu validate`
 * for those applied on this machine (their providers are built in).
 */
import { ConfigReader } from '@backstage/config';
import { findTool } from '@internal/plugin-platform-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BlueprintCatalog } from './BlueprintCatalog';

const run = promisify(execFile);
const repoBlueprints = path.resolve(
  __dirname,
  '../../../../templates/environments',
);

async function until(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('BlueprintCatalog', () => {
  it('loads the three blueprints shipped in templates/environments', () => {
    const catalog = BlueprintCatalog.load(repoBlueprints);
    expect(catalog.errors()).toEqual([]);
    expect(
      catalog
        .list()
        .map(b => b.blueprint.metadata.name)
        .sort(),
    ).toEqual(['k8s-namespace', 'postgres-sandbox', 'workspace']);
    expect(
      catalog.get('postgres-sandbox')!.blueprint.spec.outputs.secret,
    ).toEqual(['password', 'connection_string']);
    expect(catalog.get('k8s-namespace')!.blueprint.spec.applyable).toBe(false);
  });

  it('keeps its modules formatted, and the applied ones valid, by the real OpenTofu', async () => {
    const tofu = await findTool(new ConfigReader({}), 'tofu');
    await run(tofu.path, ['fmt', '-check', '-recursive', repoBlueprints]);
    for (const loaded of BlueprintCatalog.load(repoBlueprints).list()) {
      if (!loaded.blueprint.spec.applyable) continue;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-validate-'));
      try {
        fs.cpSync(loaded.moduleDir, dir, { recursive: true });
        await run(
          tofu.path,
          ['init', '-input=false', '-backend=false', '-no-color'],
          { cwd: dir },
        );
        const { stdout } = await run(
          tofu.path,
          ['validate', '-json', '-no-color'],
          { cwd: dir },
        );
        expect({
          blueprint: loaded.blueprint.metadata.name,
          ...JSON.parse(stdout),
        }).toMatchObject({ valid: true, error_count: 0 });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 60_000);

  it('reports a broken blueprint with the field and the rule, keeps the others, and reloads on change', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprints-'));
    fs.cpSync(
      path.join(repoBlueprints, 'workspace'),
      path.join(dir, 'workspace'),
      { recursive: true },
    );
    fs.cpSync(
      path.join(repoBlueprints, 'workspace'),
      path.join(dir, 'broken'),
      { recursive: true },
    );
    const brokenFile = path.join(dir, 'broken', 'blueprint.yaml');
    fs.writeFileSync(
      brokenFile,
      fs
        .readFileSync(brokenFile, 'utf8')
        .replace('name: workspace', 'name: broken')
        .replace('maxHours: 720', 'maxHours: -1'),
    );
    const catalog = BlueprintCatalog.load(dir);
    try {
      expect(catalog.list().map(b => b.blueprint.metadata.name)).toEqual([
        'workspace',
      ]);
      expect(catalog.errors()).toEqual([
        {
          file: brokenFile,
          message: expect.stringMatching(
            /spec\.ttl\.maxHours: .*(positive|>0|greater than 0)/i,
          ),
        },
      ]);

      catalog.watch(50);
      fs.writeFileSync(
        brokenFile,
        fs
          .readFileSync(brokenFile, 'utf8')
          .replace('maxHours: -1', 'maxHours: 720'),
      );
      await until(() => catalog.list().length === 2);
      expect(catalog.errors()).toEqual([]);

      fs.writeFileSync(brokenFile, 'apiVersion: [unclosed');
      await until(() => catalog.errors().length === 1);
      expect(catalog.errors()[0].message).toMatch(/not valid YAML/);
      expect(catalog.get('workspace')).toBeDefined();
    } finally {
      catalog.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a blueprint whose folder and name differ, or whose module has no .tf files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprints-'));
    try {
      fs.cpSync(
        path.join(repoBlueprints, 'workspace'),
        path.join(dir, 'other'),
        { recursive: true },
      );
      fs.cpSync(
        path.join(repoBlueprints, 'workspace'),
        path.join(dir, 'empty'),
        { recursive: true },
      );
      const emptyFile = path.join(dir, 'empty', 'blueprint.yaml');
      fs.writeFileSync(
        emptyFile,
        fs
          .readFileSync(emptyFile, 'utf8')
          .replace('name: workspace', 'name: empty'),
      );
      fs.rmSync(path.join(dir, 'empty', 'module', 'main.tf'));
      const messages = BlueprintCatalog.load(dir)
        .errors()
        .map(e => e.message)
        .sort();
      expect(messages).toEqual([
        "metadata.name: is 'workspace', but the folder is 'other'; they must match",
        'spec.module: ./module is not a folder with .tf files',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
