import { explainRefusals, refusalFor } from './explainRefusals';

const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};

function backend(routes: Record<string, () => Response>) {
  const calls: Array<{ url: string; auth: string | null }> = [];
  const fetchImpl = (async (input: any, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, auth: new Headers(init?.headers).get('authorization') });
    const route = routes[url];
    return route ? route() : new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { calls, fetch: explainRefusals({ discoveryApi }).apply(fetchImpl) };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('explainRefusals', () => {
  it("adds the policy's reasons to a 403, asking with the caller's own credentials", async () => {
    const { calls, fetch } = backend({
      'http://backend/api/catalog/refresh': () =>
        json(403, {
          error: { name: 'NotAllowedError', message: 'Unauthorized' },
          response: { statusCode: 403 },
        }),
      'http://backend/api/permission/opa/refusals': () =>
        json(200, {
          items: [
            {
              at: 1,
              permission: 'catalog.entity.refresh',
              result: 'deny',
              reasons: ['your roles (viewer) only allow reading'],
            },
          ],
        }),
    });
    const res = await fetch('http://backend/api/catalog/refresh', {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
    });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'Unauthorized. Refused by policy (catalog.entity.refresh): your roles (viewer) only allow reading',
    });
    expect(calls[1]).toEqual({
      url: 'http://backend/api/permission/opa/refusals',
      auth: 'Bearer t',
    });
  });

  it('leaves other responses, and a 403 with no recorded refusal, as they were', async () => {
    const { fetch } = backend({
      'http://backend/api/x': () => json(200, { ok: true }),
      'http://backend/api/y': () =>
        json(403, { error: { name: 'NotAllowedError', message: 'nope' } }),
      'http://backend/api/permission/opa/refusals': () =>
        json(200, { items: [] }),
    });
    expect(await (await fetch('http://backend/api/x')).json()).toEqual({
      ok: true,
    });
    expect(
      (await (await fetch('http://backend/api/y')).json()).error.message,
    ).toBe('nope');
  });
});

describe('refusalFor', () => {
  const refusal = (permission: string, reason: string) => ({
    at: 1,
    permission,
    result: 'conditional' as const,
    reasons: [reason],
  });
  const items = [
    refusal('environments.environment.secrets.read', 'secrets: owners only'),
    refusal('environments.environment.logs.read', 'logs: owners only'),
  ];

  it('picks the refusal of the permission the error names, not the latest', () => {
    expect(
      refusalFor(
        'environments.environment.logs.read is not allowed for user:default/dev',
        items,
      )?.reasons,
    ).toEqual(['logs: owners only']);
  });

  it('falls back to the latest refusal of an action when the error names none', () => {
    expect(
      refusalFor('Forbidden', [
        { ...refusal('catalog.entity.read', 'reads'), read: true },
        ...items,
      ])?.reasons,
    ).toEqual(['secrets: owners only']);
    expect(refusalFor('Forbidden', [])).toBeUndefined();
  });
});
