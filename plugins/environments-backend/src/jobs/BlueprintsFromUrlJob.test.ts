/*
 * Blueprints from git, against the local Gitea (scripts/test starts it; PORTAL_TEST_GITEA_URL):
 * a temporary repository in acme holds a copy of templates/environments/workspace, read by
 * Backstage's real UrlReader (UrlReaders.default with the forge's integration) through a TCP relay,
 * so that the forge can go down mid-test (the relay closes; nothing listens on its port). The
 * repository is deleted afterwards.
 */
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  folderFiles,
  forgeRelay,
  repoRoot,
  testForge,
  TestRepository,
} from '@internal/backend-test-utils';
import { freePort } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { jobContext } from '../__testUtils__/jobFixtures';
import { BlueprintsFromUrlJob } from './BlueprintsFromUrlJob';

jest.setTimeout(60_000); // the forge is a real server on a shared machine

const forge = testForge();
const WORKSPACE = path.join(repoRoot, 'templates/environments/workspace');
const broken = fs
  .readFileSync(path.join(WORKSPACE, 'blueprint.yaml'), 'utf8')
  .replace('name: workspace', 'name: broken')
  .replace('costPerHour: 0\n', 'costPerHour: -1\n');

/** Backstage's UrlReader with the forge's integration at `baseUrl`. */
const urlReader = (baseUrl: string) =>
  UrlReaders.default({
    config: new ConfigReader({ integrations: forge.integrations(baseUrl) }),
    logger: mockServices.logger.mock(),
  });

/** The job as the plugin starts it (with the config read from `blueprints`), and its catalog. */
async function startJob(work: string, blueprints: object, baseUrl: string) {
  const ctx = jobContext({ workDir: work, blueprints: { ...blueprints } });
  const catalog = BlueprintCatalog.open(ctx.config.blueprints);
  const job = await BlueprintsFromUrlJob.start(ctx, {
    blueprints: catalog,
    urlReader: urlReader(baseUrl),
  });
  return { ctx, catalog, job: job! };
}

const warnings = (ctx: ReturnType<typeof jobContext>) =>
  ctx.logger.warn.mock.calls.map(c => String(c[0]));

describe('BlueprintsFromUrlJob, against the local Gitea', () => {
  let repo: TestRepository;
  let relay: Awaited<ReturnType<typeof forgeRelay>>;
  let work: string;
  let url: string;
  let started: Awaited<ReturnType<typeof startJob>>;
  const trees = () =>
    fs
      .readdirSync(path.join(work, 'blueprints'))
      .filter(n => n !== 'current.json');

  beforeAll(async () => {
    repo = await forge.createRepository('blueprints-test');
    await repo.commit(folderFiles(WORKSPACE, 'environments/workspace'));
    relay = await forgeRelay(forge.baseUrl);
    url = repo.folderUrl('environments', relay.baseUrl);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprints-from-url-'));
  });

  afterAll(async () => {
    await relay?.close();
    await repo?.delete();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('reads the tree at start, then schedules itself on every replica, and loads its blueprint from the extracted copy', async () => {
    started = await startJob(work, { url, frequency: '1m' }, relay.baseUrl);
    const { ctx, catalog } = started;
    expect(ctx.task()).toEqual({
      id: 'environments-blueprints-from-url',
      scope: 'local',
      frequency: { minutes: 1 },
      initialDelay: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: expect.any(Function),
    });
    expect(catalog.errors()).toEqual([]);
    expect(catalog.list().map(b => b.blueprint.metadata.name)).toEqual([
      'workspace',
    ]);
    // runs copy the module from the extracted tree, not from templates/
    const { moduleDir } = catalog.get('workspace')!;
    expect(path.relative(work, moduleDir)).toMatch(
      /^blueprints\/tree-[^/]+\/workspace\/module$/,
    );
    expect(fs.readFileSync(path.join(moduleDir, 'main.tf'), 'utf8')).toBe(
      fs.readFileSync(path.join(WORKSPACE, 'module/main.tf'), 'utf8'),
    );
    expect(warnings(ctx)).toEqual([]);
  });

  it('reports a broken blueprint pushed beside it, naming the file and the field; the valid one still loads', async () => {
    const { ctx, catalog } = started;
    const first = catalog.get('workspace')!.moduleDir;
    await repo.commit({
      'environments/broken/blueprint.yaml': broken,
      'environments/broken/module/main.tf': 'variable "service" {}\n',
    });
    await ctx.runTask(); // as the scheduler runs it
    expect(catalog.errors()).toEqual([
      {
        file: `${url}/broken/blueprint.yaml`,
        message: expect.stringMatching(/^spec\.sizes\.small\.costPerHour: /),
      },
    ]);
    expect(catalog.get('broken')).toBeUndefined();
    // the valid one, from a new tree; the one before stays (a run may still copy from it)
    const second = catalog.get('workspace')!.moduleDir;
    expect(second).not.toBe(first);
    expect(fs.existsSync(first)).toBe(true);
    expect(trees()).toHaveLength(2);
  });

  it('skips a read when nothing changed (the etag: the commit); a new commit is read, and the oldest tree removed', async () => {
    const { job, catalog } = started;
    const before = trees();
    expect(await job.run()).toBe('unchanged');
    expect(trees()).toEqual(before);

    await repo.commit({ 'README.md': '# Platform blueprints\n' });
    expect(await job.run()).toBe('updated');
    const after = trees();
    expect(after).toHaveLength(2);
    expect(after).toContain(before[1]);
    expect(after).not.toContain(before[0]);
    expect(catalog.get('workspace')!.moduleDir).toContain(after[1]);
  });

  it('keeps the last good blueprints, warning with the URL, while the forge is down', async () => {
    const { job, ctx, catalog } = started;
    const good = catalog.get('workspace')!.moduleDir;
    await relay.close(); // nothing listens on the relay's port any more
    expect(await job.run()).toBe('failed');
    expect(warnings(ctx)).toEqual([
      expect.stringContaining(
        `blueprints could not be read from ${url}; keeping the last good ones (workspace): `,
      ),
    ]);
    // with fetch's reason (a connection that was open: "other side closed")
    expect(warnings(ctx)[0]).toMatch(/: fetch failed \(.+\)$/);
    expect(catalog.get('workspace')!.moduleDir).toBe(good);
    expect(fs.existsSync(path.join(good, 'main.tf'))).toBe(true);
    expect(catalog.errors()).toHaveLength(1); // still reported
  });

  it('after a restart while the forge is down, starts from the last good tree on disk', async () => {
    const { ctx, catalog } = await startJob(work, { url }, relay.baseUrl);
    expect(catalog.get('workspace')!.moduleDir).toBe(
      started.catalog.get('workspace')!.moduleDir,
    );
    expect(catalog.errors()).toEqual(started.catalog.errors());
    expect(warnings(ctx)).toEqual([
      expect.stringContaining(`blueprints could not be read from ${url}`),
    ]);
  });

  it('starts with no blueprints, saying why, when the forge never answered (a free port)', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprints-down-'));
    try {
      const elsewhere = repo.folderUrl('environments', down);
      const { ctx, catalog } = await startJob(other, { url: elsewhere }, down);
      expect(catalog.list()).toEqual([]);
      expect(warnings(ctx)).toEqual([
        expect.stringContaining(
          `blueprints could not be read from ${elsewhere}; keeping the last good ones (none): `,
        ),
      ]);
      expect(warnings(ctx)[0]).toMatch(
        /\(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
      );
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('does not use a tree with no blueprint in it (the URL names the wrong folder)', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprints-none-'));
    try {
      const root = repo.folderUrl('', forge.baseUrl);
      const { ctx, catalog } = await startJob(
        other,
        { url: root },
        forge.baseUrl,
      );
      expect(catalog.list()).toEqual([]);
      expect(warnings(ctx)).toEqual([
        expect.stringMatching(/the tree holds no <name>\/blueprint\.yaml$/),
      ]);
      expect(fs.readdirSync(path.join(other, 'blueprints'))).toEqual([]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
