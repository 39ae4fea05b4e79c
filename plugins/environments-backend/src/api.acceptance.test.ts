/*
 * Acceptance of the REST API's permissions and limits through a whole backend: the permission
 * backend with the OPA policy module and a real OPA on the repository's policies/, the
 * environments plugin on SQLite, people and teams from catalog/org.yaml (startTestBackend's mock
 * credentials). This replica serves the API only (runs.concurrency 0): nothing is provisioned;
 * runs stay queued, and a log line is written through the plugin's own store.
 */
import { PAGE_LIMITS } from './limits';
import {
  API as E,
  as,
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from './__testUtils__/testBackend';

const REFUSALS_MAX = 3;

describe('environments API acceptance', () => {
  let env: EnvironmentsTestBackend;
  const api = () => env.request();
  const rows = () => env.rows();

  beforeAll(async () => {
    env = await startEnvironmentsBackend({
      name: 'environments-acceptance-',
      environments: {
        runs: { concurrency: 0 },
        rateLimit: { refusals: { max: REFUSALS_MAX, windowMinutes: 15 } },
      },
    });
  }, 60_000);

  afterAll(() => env?.stop());

  it("reads an environment's runs and logs only in its owning team and the platform team", async () => {
    const created = await api()
      .post(`${E}/environments`)
      .set('Authorization', as('dev'))
      .send({
        name: 'logs-ws',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        variables: { service: 'orders' },
      });
    expect(created.status).toBe(201);
    const id = created.body.environment.id;
    const [run] = await env.store.runs.list(id);
    await env.store.runs.appendLog(run.id, [
      { level: 'info', message: 'terraform_data.workspace: Creating...' },
    ]);

    const status = async (user: string, url: string) =>
      (await api().get(url).set('Authorization', as(user))).status;
    const runsUrl = `${E}/environments/${id}/runs`;
    const logsUrl = `${E}/environments/${id}/runs/${run.id}/logs`;
    // another team's developer (chloe, storefront) and a viewer (vic, partners): 403
    for (const user of ['chloe', 'vic']) {
      expect({
        user,
        runs: await status(user, runsUrl),
        logs: await status(user, logsUrl),
      }).toEqual({ user, runs: 403, logs: 403 });
    }
    // the requester, another member of the owning team, a platform engineer and an admin: 200
    for (const user of ['dev', 'fatima', 'ben', 'ana']) {
      expect({
        user,
        runs: await status(user, runsUrl),
        logs: await status(user, logsUrl),
      }).toEqual({ user, runs: 200, logs: 200 });
    }
    const logs = await api().get(logsUrl).set('Authorization', as('fatima'));
    expect(logs.body.items.map((l: any) => l.message)).toEqual([
      'terraform_data.workspace: Creating...',
    ]);
    const refused = await api().get(logsUrl).set('Authorization', as('chloe'));
    expect(refused.body.error.message).toMatch(
      /^environments\.environment\.logs\.read is not allowed for user:default\/chloe/,
    );
    expect(JSON.stringify(refused.body)).not.toContain('Creating');
    // the environment itself stays readable by every signed-in user
    expect(await status('vic', `${E}/environments/${id}`)).toBe(200);
  });

  it('keeps four eyes on approvals: a platform engineer cannot approve their own request, another can', async () => {
    const res = await api()
      .post(`${E}/environments`)
      .set('Authorization', as('ben'))
      .send({
        name: 'long-db',
        blueprint: 'postgres-sandbox',
        owner: 'group:default/platform',
        ttlHours: 400,
      });
    expect(res.status).toBe(202);
    expect(res.body.environment.state).toBe('pending_approval');
    const id = res.body.environment.id;

    for (const decision of ['approve', 'reject']) {
      const own = await api()
        .post(`${E}/environments/${id}/${decision}`)
        .set('Authorization', as('ben'))
        .send({});
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(/four eyes/);
      expect(own.body.error.message).toMatch(/you requested it/);
    }
    // The app's fetch middleware adds the policy's own reason from the refusals endpoint.
    const refusals = await api()
      .get('/api/permission/opa/refusals')
      .set('Authorization', as('ben'));
    expect(refusals.body.items[0]).toMatchObject({
      permission: 'environments.request.approve',
      result: 'conditional',
    });
    expect(refusals.body.items[0].reasons.join(' ')).toMatch(/four eyes/);
    expect(
      (
        await api()
          .get(`${E}/environments/${id}`)
          .set('Authorization', as('ben'))
      ).body.environment.state,
    ).toBe('pending_approval');

    // A developer may not approve at all.
    expect(
      (
        await api()
          .post(`${E}/environments/${id}/approve`)
          .set('Authorization', as('dev'))
          .send({})
      ).status,
    ).toBe(403);
    // Another platform engineer (ana, admin) approves it.
    const approved = await api()
      .post(`${E}/environments/${id}/approve`)
      .set('Authorization', as('ana'))
      .send({ reason: 'capacity checked' });
    expect(approved.status).toBe(200);
    expect(approved.body.environment.state).toBe('queued');
    const history = (
      await api().get(`${E}/environments/${id}`).set('Authorization', as('ben'))
    ).body.history;
    expect(history[history.length - 1]).toMatchObject({
      from: 'pending_approval',
      to: 'queued',
      actor: 'user:default/ana',
      reason: 'capacity checked',
    });
  });

  it(`answers 429 with Retry-After after ${REFUSALS_MAX} refused requests of one person, and stores nothing more`, async () => {
    const refused = {
      name: 'not-mine',
      blueprint: 'workspace',
      owner: 'group:default/payments',
    }; // chloe is in storefront
    for (let i = 0; i < REFUSALS_MAX; i++) {
      const res = await api()
        .post(`${E}/environments`)
        .set('Authorization', as('chloe'))
        .send(refused);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /refused by the guardrails: you may only request environments for your own teams/,
      );
    }
    const before = await rows();
    for (const body of [
      refused,
      {
        name: 'mine',
        blueprint: 'workspace',
        owner: 'group:default/storefront',
      },
    ]) {
      const limited = await api()
        .post(`${E}/environments`)
        .set('Authorization', as('chloe'))
        .send(body);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(
        15 * 60,
      );
      expect(limited.body.error.message).toMatch(
        new RegExp(
          `^requests: ${REFUSALS_MAX} of your requests were refused by the guardrails in the last 15 minutes`,
        ),
      );
    }
    expect(await rows()).toEqual(before);
    // Someone else is not limited by chloe's refusals.
    const eli = await api()
      .post(`${E}/environments`)
      .set('Authorization', as('eli'))
      .send({
        name: 'eli-ws',
        blueprint: 'workspace',
        owner: 'group:default/storefront',
      });
    expect(eli.status).toBe(201);
  });

  it('pages every list with limit and cursor, and answers 400 naming the field when they are out of range', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await api()
        .post(`${E}/environments`)
        .set('Authorization', as('fatima'))
        .send({
          name: `page-${i}`,
          blueprint: 'workspace',
          owner: 'group:default/payments',
        });
      expect(res.status).toBe(201);
    }
    const everything = await api()
      .get(`${E}/environments`)
      .query({ scope: 'all', limit: PAGE_LIMITS.environments.max })
      .set('Authorization', as('ben'));
    expect(everything.body.error).toBeUndefined();
    const all = everything.body.items.map((e: any) => e.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api()
        .get(`${E}/environments`)
        .query({ scope: 'all', limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', as('ben'));
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));

    const bad = async (url: string, query: Record<string, string>) => {
      const res = await api()
        .get(url)
        .query(query)
        .set('Authorization', as('ben'));
      return [res.status, res.body.error?.message];
    };
    const id = all[0];
    const { items: runs } = (
      await api()
        .get(`${E}/environments/${id}/runs`)
        .set('Authorization', as('ben'))
    ).body;
    for (const [url, list] of [
      [`${E}/environments`, 'environments'],
      [`${E}/environments/${id}/runs`, 'runs'],
      [`${E}/environments/${id}/history`, 'history'],
      [`${E}/environments/${id}/runs/${runs[0].id}/logs`, 'logs'],
      [`${E}/blueprints`, 'blueprints'],
    ] as const) {
      const max = PAGE_LIMITS[list].max;
      expect(await bad(url, { limit: '0' })).toEqual([
        400,
        `limit: must be a whole number from 1 to ${max}`,
      ]);
      expect(await bad(url, { limit: String(max + 1) })).toEqual([
        400,
        `limit: must be a whole number from 1 to ${max}`,
      ]);
      expect(await bad(url, { limit: '1e3' })).toEqual([
        400,
        `limit: must be a whole number from 1 to ${max}`,
      ]);
      expect(await bad(url, { cursor: '!!' })).toEqual([
        400,
        expect.stringMatching(/^cursor: /),
      ]);
      expect(await bad(url, { colour: 'red' })).toEqual([
        400,
        expect.stringMatching(/^colour: is not a query parameter of this list/),
      ]);
    }
    expect(
      await bad(`${E}/environments/${id}/runs/${runs[0].id}/logs`, {
        after: '-1',
      }),
    ).toEqual([400, expect.stringMatching(/^after: must be a whole number/)]);
    expect(await bad(`${E}/environments/not-an-id/runs`, {})).toEqual([
      400,
      'id: must be an id this API gave out (a UUID)',
    ]);
  });
});
