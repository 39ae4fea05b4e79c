/*
 * Test-only: the REST API for the router tests, on the shared test backend (testBackend.ts: the
 * permission backend with the OPA module and a real OPA, the plugin on SQLite, org users). The
 * replica serves the API only (runs.concurrency 0): runs stay queued. Imported by *.test.ts files
 * alone.
 */
import { API, startEnvironmentsBackend } from './testBackend';

export { as } from './testBackend';

/** Starts the API; `stop` it in afterAll. */
export async function startApiBackend() {
  const backend = await startEnvironmentsBackend({
    name: 'environments-router-',
    environments: { runs: { concurrency: 0 } },
  });
  return {
    ...backend,
    /** The path `p` under /api/environments. */
    url: (p: string) => `${API}${p}`,
    /** Requests a workspace of payments as `user`, or with `body`'s fields; throws unless 201/202. */
    create: async (user: string, body: object = {}) => {
      const res = await backend.post(user, '/environments', {
        name: 'ws',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ...body,
      });
      if (res.status >= 300)
        throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.environment as { id: string; state: string };
    },
  };
}

/** What startApiBackend returns. */
export type ApiBackend = Awaited<ReturnType<typeof startApiBackend>>;
