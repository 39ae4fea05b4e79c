/*
 * The dora plugin wired in a test backend (SQLite): a signed webhook delivery is taken without a
 * Backstage token, normalised by the scheduled job, and answered in the metrics with its rows; the
 * jobs config asks for are scheduled; production refuses development defaults. Each router's
 * routes are tested in src/router/*.test.ts, each job in src/jobs/*.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { githubPayloads } from './seed/githubPayloads';
import {
  as,
  DoraTestBackend,
  startDoraBackend,
} from './__testUtils__/doraBackend';

describe('dora plugin (catalog served in memory from catalog/components.yaml)', () => {
  let dora: DoraTestBackend;
  const gh = githubPayloads(
    'acme/payments-api',
    new Date('2026-03-01T00:00:00Z'),
  );

  beforeAll(async () => {
    dora = await startDoraBackend();
  }, 60_000);

  afterAll(() => dora?.stop());

  it('takes a signed delivery without a Backstage token, and counts a replay once', async () => {
    const d = gh.deploymentStatus(500, { sha: 'b'.repeat(40), atH: 1 });
    const body = JSON.stringify(d.body);
    const first = await dora.github('deployment_status', 'replay-1', body);
    expect(first.status).toBe(202);
    expect(first.body.delivery).toMatchObject({
      deliveryId: 'replay-1',
      duplicate: false,
    });
    const again = await dora.github('deployment_status', 'replay-1', body);
    expect(again.status).toBe(200);
    expect(again.body.delivery).toEqual({
      ...first.body.delivery,
      duplicate: true,
    });
    await dora.settled();
    const stored = (await dora.deliveries('?source=github-acme')).items.filter(
      (i: any) => i.deliveryId === 'replay-1',
    );
    expect(stored).toEqual([
      expect.objectContaining({
        status: 'processed',
        eventType: 'deployment_status',
      }),
    ]);
    // one deployment, once, in the metrics
    const m = await dora
      .api()
      .get('/api/dora/metrics')
      .query({
        entity: 'component:default/payments-api',
        window: 7,
        at: '2026-03-02T00:00:00Z',
      })
      .set('Authorization', as('dev'));
    expect(m.status).toBe(200);
    expect(m.body.metrics.deploymentFrequency).toMatchObject({
      sampleSize: 1,
      details: { deployments: 1 },
    });
    // the rows behind it
    const drill = await dora
      .api()
      .get('/api/dora/metrics/drilldown')
      .query({
        entity: 'component:default/payments-api',
        window: 7,
        at: '2026-03-02T00:00:00Z',
        metric: 'deploymentFrequency',
      })
      .set('Authorization', as('dev'));
    expect(drill.body.rows).toEqual([
      expect.objectContaining({
        type: 'deployment',
        counted: ['deployment'],
        deployment: expect.objectContaining({
          id: 'github-acme:500',
          teamRef: 'group:default/payments',
        }),
      }),
    ]);
  });

  it('schedules the jobs config asks for', async () => {
    const tasks = await dora.scheduler().getScheduledTasks();
    expect(tasks.map(t => t.id).sort()).toEqual([
      'dora-normalise',
      'dora-reattribute',
      'dora-scorecards',
    ]);
  });
});

describe('dora plugin in production (NODE_ENV=production)', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('does not start with a development default, naming the key', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      startDoraBackend({
        dora: {
          sources: [
            {
              id: 'github-demo',
              type: 'github',
              secret: randomBytes(24).toString('hex'), // not a value of the repository
            },
          ],
          demo: { seed: true },
        },
      }),
    ).rejects.toThrow(/dora\.demo\.seed: must be false \(production\)/);
  });
});
