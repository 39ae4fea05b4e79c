/*
 * An environment's runs and a run's log through the whole backend (real OPA, SQLite), for its
 * owning team and not another; a 400 naming the parameter for bad paging and a run of another
 * environment. A log line is written through the plugin's own store (runs stay queued).
 */
import { ApiBackend, startApiBackend } from '../__testUtils__/apiBackend';

describe('runsRouter', () => {
  let api: ApiBackend;
  let env: { id: string };
  let runId: string;

  beforeAll(async () => {
    api = await startApiBackend();
    env = await api.create('dev', { name: 'runs-ws' });
    [{ id: runId }] = await api.store.runs.list(env.id);
    await api.store.runs.appendLog(
      runId,
      ['one', 'two', 'three'].map(message => ({ level: 'info', message })),
    );
  }, 60_000);
  afterAll(() => api?.stop());

  it("pages an environment's runs and a run's log for its owning team", async () => {
    const runs = await api.get('fatima', `/environments/${env.id}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ id: runId, kind: 'apply', state: 'queued' }),
    ]);
    const logs = `/environments/${env.id}/runs/${runId}/logs`;
    const first = await api.get('dev', `${logs}?limit=2`);
    expect(first.body.run.id).toBe(runId);
    expect(first.body.items.map((l: { message: string }) => l.message)).toEqual(
      ['one', 'two'],
    );
    const rest = await api.get('dev', `${logs}?after=${first.body.nextCursor}`);
    expect(rest.body.items.map((l: { message: string }) => l.message)).toEqual([
      'three',
    ]);
    expect(rest.body.nextCursor).toBeUndefined();
    expect((await api.get('chloe', logs)).status).toBe(403);
    expect(
      (await api.get('chloe', `/environments/${env.id}/runs`)).status,
    ).toBe(403);
  });

  it('answers bad paging and a run of another environment with a 400 naming the parameter', async () => {
    const other = await api.create('dev', { name: 'other-ws' });
    const logs = `/environments/${env.id}/runs/${runId}/logs`;
    for (const [path, message] of [
      [
        `${logs}?after=1&cursor=2`,
        /^cursor: give either after or cursor, not both$/,
      ],
      [`${logs}?after=-1`, /^after: must be a whole number/],
      [`${logs}?limit=2001`, /^limit: must be a whole number from 1 to 2000$/],
      [
        `/environments/${env.id}/runs/nope/logs`,
        /^runId: must be an id this API gave out/,
      ],
      [
        `/environments/${other.id}/runs/${runId}/logs`,
        /^runId: is not a run of this environment$/,
      ],
      [
        `/environments/${env.id}/runs?limit=101`,
        /^limit: must be a whole number from 1 to 100$/,
      ],
      [
        `/environments/${env.id}/runs?state=queued`,
        /^state: is not a query parameter of this list/,
      ],
    ] as const) {
      const res = await api.get('dev', path);
      expect({
        path,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        path,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
  });
});
