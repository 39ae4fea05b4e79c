/*
 * Scorecards (GET /scorecards/definitions, /scorecards/entity, /scorecards/teams) through the
 * plugin in a test backend (SQLite), with the repository's scorecards/ evaluated by the scheduled
 * job on the example catalog; 4xx answers name the field.
 */
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  as,
  DoraTestBackend,
  exampleComponents,
  REPO,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

const groups = parseAllDocuments(
  fs.readFileSync(path.join(REPO, 'catalog/org.yaml'), 'utf8'),
)
  .map(d => d.toJS() as Entity)
  .filter(e => e?.kind === 'Group');

describe('scorecardsRouter', () => {
  let dora: DoraTestBackend;
  const get = (url: string, query: object = {}) =>
    dora
      .api()
      .get(`/api/dora${url}`)
      .query(query)
      .set('Authorization', as('dev'));

  beforeAll(async () => {
    dora = await startDoraBackend({
      dora: { scorecards: { dir: path.join(REPO, 'scorecards') } },
      entities: [...exampleComponents(), ...groups],
    });
    await dora.scheduler().triggerTask('dora-scorecards');
  }, 60_000);

  afterAll(() => dora?.stop());

  it('lists the definitions from git with their exemptions', async () => {
    const res = await get('/scorecards/definitions');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        name: 'service-standards',
        title: 'Service standards',
      }),
    ]);
    expect(res.body.exemptions).toEqual([
      expect.objectContaining({
        expires: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      }),
    ]);
    expect(res.body.errors).toEqual([]);
  });

  it("answers an entity's results and the teams' rollups", async () => {
    const entity = await get('/scorecards/entity', {
      entityRef: 'component:default/payments-api',
    });
    expect(entity.status).toBe(200);
    expect(entity.body.results).toEqual([
      expect.objectContaining({
        scorecard: 'service-standards',
        ownerRef: 'group:default/payments',
      }),
    ]);
    const teams = await get('/scorecards/teams');
    expect(teams.body.items.map((t: any) => t.teamRef)).toEqual(
      expect.arrayContaining(['group:default/payments']),
    );
    const one = await get('/scorecards/teams', {
      teamRef: 'group:default/payments',
    });
    expect(one.body.items.map((t: any) => t.teamRef)).toEqual([
      'group:default/payments',
    ]);
  });

  it('answers a bad query with a 400 naming the field, and an entity the catalog does not have with a 404', async () => {
    for (const [url, query, message] of [
      ['/scorecards/entity', {}, /^entityRef: is required/],
      [
        '/scorecards/entity',
        { entityRef: 'not-a-ref' },
        /^entityRef: must be an entity ref/,
      ],
      [
        '/scorecards/teams',
        { teamRef: 'user:default/dev' },
        /^teamRef: must be a group entity ref$/,
      ],
      [
        '/scorecards/definitions',
        { offset: -1 },
        /^offset: must be at least 0$/,
      ],
    ] as const) {
      const res = await get(url, query);
      expect({ url, query, status: res.status }).toEqual({
        url,
        query,
        status: 400,
      });
      expect(res.body.error.message).toMatch(message);
    }
    const missing = await get('/scorecards/entity', {
      entityRef: 'component:default/nope',
    });
    expect(missing.status).toBe(404);
  });
});
