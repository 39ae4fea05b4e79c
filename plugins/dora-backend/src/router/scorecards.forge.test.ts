/*
 * Scorecards read from a folder in git (dora.scorecards.url) through the plugin in a test backend
 * (SQLite) with its real URL reader service and the local Gitea's integration: the definitions
 * job reads a temporary repository of acme at start; GET /scorecards/definitions lists its
 * scorecards and, after a broken file is pushed, the file and its problem beside them; the
 * evaluation job grades the catalog's entities with the valid scorecards (the catalog served in
 * memory by catalogServiceMock).
 */
import fs from 'node:fs';
import path from 'node:path';
import { testForge, TestRepository } from '@internal/backend-test-utils';
import {
  as,
  DoraTestBackend,
  REPO,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

const forge = testForge();

/** Polls `probe` until it returns something, for jobs that run on the scheduler. */
async function eventually<T>(probe: () => Promise<T | undefined>) {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the scheduled job did not get there in 20 s');
}

describe('scorecards read from git (the real local Gitea)', () => {
  let repo: TestRepository;
  let url: string;
  let dora: DoraTestBackend;
  const get = (route: string, query: object = {}) =>
    dora
      .api()
      .get(`/api/dora${route}`)
      .query(query)
      .set('Authorization', as('dev'));

  beforeAll(async () => {
    repo = await forge.createRepository('dora-scorecards-api');
    const text = fs.readFileSync(
      path.join(REPO, 'scorecards/service-standards.yaml'),
      'utf8',
    );
    await repo.commit({ 'platform/scorecards/standards.yaml': text });
    url = repo.folderUrl('platform/scorecards');
    dora = await startDoraBackend({
      config: { integrations: forge.integrations() },
      dora: { scorecards: { url, refreshFrequency: { minutes: 30 } } },
    });
  }, 60_000);

  afterAll(async () => {
    await dora?.stop();
    await repo?.delete();
  });

  it('lists the scorecards of the folder in git, then a broken file pushed beside them with its problem, and evaluates the valid ones', async () => {
    const first = await eventually(async () => {
      const res = await get('/scorecards/definitions');
      return res.body.items?.length ? res : undefined;
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ name: 'service-standards' }),
    ]);
    expect(first.body.errors).toEqual([]);

    await repo.commit({
      'platform/scorecards/broken.yaml':
        'apiVersion: portal.acme.example/v1\nkind: Scorecard\nmetadata: { name: Broken, title: x }\n',
    });
    await dora.scheduler().triggerTask('dora-scorecard-definitions');
    const after = await eventually(async () => {
      const res = await get('/scorecards/definitions');
      return res.body.errors?.length ? res : undefined;
    });
    expect(after.body.errors).toEqual([
      {
        file: `${url}/broken.yaml`,
        message: expect.stringContaining(
          'metadata.name: must be lower case words joined by dashes',
        ),
      },
    ]);
    expect(after.body.errors[0].message).toContain('spec: ');
    expect(after.body.items).toEqual([
      expect.objectContaining({ name: 'service-standards' }),
    ]);

    await dora.scheduler().triggerTask('dora-scorecards');
    const results = await eventually(async () => {
      const res = await get('/scorecards/entity', {
        entityRef: 'component:default/payments-api',
      });
      return res.body.results?.length ? res.body.results : undefined;
    });
    expect(results).toEqual([
      expect.objectContaining({
        scorecard: 'service-standards',
        title: 'Service standards',
        ownerRef: 'group:default/payments',
      }),
    ]);
  }, 60_000);
});
