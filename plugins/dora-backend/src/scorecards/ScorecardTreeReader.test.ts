/*
 * Scorecards read from a folder in git (dora.scorecards.url) against the real local Gitea, with
 * Backstage's real URL reader and the forge's integration: a temporary repository in acme holds a
 * copy of the repository's scorecards; a broken file beside them is reported (file and rule) while
 * the others load and evaluate (SQLite; the catalog served in memory by catalogServiceMock); an
 * unchanged tree is skipped by its etag; with the forge down the definitions read before stay.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { freePort } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import path from 'node:path';
import {
  forgeRelay,
  testForge,
  TestRepository,
} from '@internal/backend-test-utils';
import { realUrlReader } from '../__testUtils__/urlReader';
import { REPO } from '../__testUtils__/doraBackend';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { DoraStore } from '../store/DoraStore';
import { ScorecardStore } from '../store/ScorecardStore';
import { ScorecardDefinitions } from './ScorecardDefinitions';
import { ScorecardService } from './ScorecardService';
import { ScorecardTreeReader } from './ScorecardTreeReader';

const forge = testForge();
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const local = (name: string) =>
  fs.readFileSync(path.join(REPO, 'scorecards', name), 'utf8');
const BROKEN = local('service-standards.yaml')
  .replace('name: service-standards', 'name: broken-standards')
  .replace('gold: 90', 'gold: 10');
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
  },
];

function reading(url: string, integrations: JsonObject) {
  const logger = mockServices.logger.mock();
  const definitions = ScorecardDefinitions.empty(logger);
  return realUrlReader({ integrations }).then(urlReader => ({
    logger,
    definitions,
    reader: new ScorecardTreeReader({ urlReader, url, definitions, logger }),
  }));
}

describe('ScorecardTreeReader (the real local Gitea)', () => {
  let repo: TestRepository;

  beforeAll(async () => {
    repo = await forge.createRepository('dora-scorecards');
    await repo.commit({
      'scorecards/service-standards.yaml': local('service-standards.yaml'),
      'scorecards/exemptions.yaml': local('exemptions.yaml'),
      'scorecards/README.md': '# not a scorecard\n',
    });
  }, 60_000);

  afterAll(() => repo?.delete());

  it('loads the scorecards and exemptions of the folder, skips an unchanged tree by its etag, and reports a broken file while the others load and evaluate', async () => {
    const url = repo.folderUrl('scorecards');
    const { reader, definitions, logger } = await reading(
      url,
      forge.integrations(),
    );
    expect(definitions.loaded()).toBe(false);

    expect(await reader.refresh()).toBe('read');
    expect(definitions.loaded()).toBe(true);
    expect(definitions.list().map(c => c.metadata.name)).toEqual([
      'service-standards',
    ]);
    expect(definitions.exemptions()).toEqual([
      expect.objectContaining({ entity: 'component:default/checkout-web' }),
    ]);
    expect(definitions.errors()).toEqual([]);

    // nothing pushed since: the reader's etag (the branch's commit) skips the download
    expect(await reader.refresh()).toBe('unchanged');
    expect(definitions.list()).toHaveLength(1);

    await repo.commit({ 'scorecards/broken-standards.yaml': BROKEN });
    expect(await reader.refresh()).toBe('read');
    const problem = {
      file: `${url}/broken-standards.yaml`,
      message: 'spec.levels: must be gold >= silver >= bronze',
    };
    expect(definitions.errors()).toEqual([problem]);
    expect(logger.error).toHaveBeenCalledWith(
      `scorecard definition ${problem.file} was not loaded: ${problem.message}`,
    );
    expect(definitions.list().map(c => c.metadata.name)).toEqual([
      'service-standards',
    ]);

    const knex = await databases.init('SQLITE_3');
    const store = await DoraStore.create(knex);
    const scorecards = new ScorecardService({
      definitions,
      store: new ScorecardStore(knex),
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      metrics: new DoraMetricsService(store),
    });
    expect(await scorecards.evaluateAll()).toMatchObject({ evaluated: 1 });
    const { results } = await scorecards.entity(
      'component:default/payments-api',
    );
    expect(results).toEqual([
      expect.objectContaining({
        scorecard: 'service-standards',
        title: 'Service standards',
      }),
    ]);
    expect(results[0].checks.find(c => c.id === 'has-owner')).toMatchObject({
      outcome: 'passed',
    });
  }, 60_000);

  it('keeps the definitions read before when the forge goes down, warns naming the URL, and lists the failed read until a read succeeds', async () => {
    const relay = await forgeRelay(forge.baseUrl);
    const url = repo.folderUrl('scorecards', relay.baseUrl);
    const { reader, definitions, logger } = await reading(
      url,
      forge.integrations(relay.baseUrl),
    );
    expect(await reader.refresh()).toBe('read');
    const before = definitions.list();
    expect(before.map(c => c.metadata.name)).toContain('service-standards');

    await relay.close();
    expect(await reader.refresh()).toBe('failed');
    expect(definitions.list()).toBe(before);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `scorecard definitions: could not read ${url}; the 1 scorecard(s) read before stay`,
      ),
    );
    expect(definitions.errors()).toContainEqual({
      file: url,
      message: expect.stringMatching(/^could not be read \(the 1 scorecard/),
    });
    // no secret in what is logged or listed
    const said = JSON.stringify([logger.warn.mock.calls, definitions.errors()]);
    expect(said).not.toContain(forge.token);
    // fetch's error says why in its cause (refused, or the open connection dropped)
    expect(logger.warn.mock.calls[0][0]).toMatch(/: fetch failed \(.+\)$/);

    // a read that succeeds (here straight from the forge) takes the tree and clears the failed read
    const direct = new ScorecardTreeReader({
      urlReader: await realUrlReader({ integrations: forge.integrations() }),
      url: repo.folderUrl('scorecards'),
      definitions,
      logger,
    });
    expect(await direct.refresh()).toBe('read');
    expect(definitions.errors()).not.toContainEqual(
      expect.objectContaining({ file: url }),
    );
  }, 60_000);

  it('with the forge unreachable from the start, loads nothing and the evaluation keeps the stored results', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const url = `${baseUrl}/acme/platform/src/branch/main/scorecards`;
    const { reader, definitions, logger } = await reading(
      url,
      forge.integrations(baseUrl),
    );
    expect(await reader.refresh()).toBe('failed');
    expect(definitions.loaded()).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `could not read ${url}; no scorecards are loaded yet`,
      ),
    );

    // results stored from the local folder stay: an evaluation without definitions is skipped
    const knex = await databases.init('SQLITE_3');
    const store = await DoraStore.create(knex);
    const service = (defs: ScorecardDefinitions) =>
      new ScorecardService({
        definitions: defs,
        store: new ScorecardStore(knex),
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        metrics: new DoraMetricsService(store),
        logger,
      });
    const folder = ScorecardDefinitions.load(path.join(REPO, 'scorecards'));
    expect(await service(folder).evaluateAll()).toMatchObject({ evaluated: 1 });
    expect(await service(definitions).evaluateAll()).toEqual({
      evaluated: 0,
      changed: 0,
      retired: 0,
    });
    const { results } = await service(definitions).entity(
      'component:default/payments-api',
    );
    expect(results.map(r => r.scorecard)).toEqual(['service-standards']);
  });
});
