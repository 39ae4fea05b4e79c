/*
 * Test-only: how replicas.test.ts talks to the replicas and the database: SQL on the local
 * PostgreSQL, the REST API of one replica as one user, and polling. Imported by *.test.ts files
 * alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { ReplicaProcess } from './ReplicaProcess';
import { PG } from './tofuFixtures';

/** Runs `query` ($1, $2 ... placeholders) on the local PostgreSQL; its rows. */
export async function sql(
  query: string,
  params: unknown[] = [],
  connection = `${PG}/postgres`,
): Promise<any[]> {
  const db = knexFactory({ client: 'pg', connection });
  try {
    return (await db.raw(query.replace(/\$\d+/g, '?'), params as any[])).rows;
  } finally {
    await db.destroy();
  }
}

/** The environments API of `replica`, as `user` (mock credentials). */
export function api(replica: ReplicaProcess, user: string) {
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${replica.url}/api/environments${url}`, {
      method,
      headers: {
        authorization: mockCredentials.user.header(`user:default/${user}`),
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => ({}))) as any,
    };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body: unknown = {}) => call('POST', url, body),
  };
}

/** An environment's state, or undefined when the replica did not answer 200 this time (polled again). */
let lastMiss = '';
export async function stateOf(
  client: ReturnType<typeof api>,
  id: string,
): Promise<string | undefined> {
  const res = await client.get(`/environments/${id}`);
  if (res.status === 200) return res.body.environment.state;
  lastMiss = `GET /environments/${id}: ${res.status} ${JSON.stringify(
    res.body,
  )}`;
  return undefined;
}

/**
 * Polls `probe` every 100 ms until it gives a value, or fails after `timeoutMs` with the last
 * unanswered read and the replicas' output.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  logs: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last unanswered read: ${
          lastMiss || 'none'
        }; replica output:\n${logs()}`,
      );
    await new Promise(r => setTimeout(r, 100));
  }
}
