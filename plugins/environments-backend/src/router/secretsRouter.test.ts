/*
 * GET /environments/:id/secrets through the whole backend (real OPA, SQLite): the decrypted
 * secret outputs for the owners and the platform team, 403 for anyone else, 400 naming a bad id.
 * The outputs are stored (encrypted) through the plugin's own store, as the run worker would.
 */
import { ApiBackend, startApiBackend } from '../__testUtils__/apiBackend';

describe('secretsRouter', () => {
  let api: ApiBackend;

  beforeAll(async () => {
    api = await startApiBackend();
  }, 60_000);
  afterAll(() => api?.stop());

  it('gives the secret outputs to the owners and the platform team only', async () => {
    const env = await api.create('dev', { name: 'secret-ws' });
    await api.store.transition(env.id, 'provisioning', { actor: 'test' });
    await api.store.transition(env.id, 'active', {
      actor: 'test',
      patch: {
        outputs: { path: '/tmp/ws' },
        secretOutputs: { api_token: 'tok-0123456789abcdef' },
      },
    });
    for (const user of ['dev', 'fatima', 'ben']) {
      const res = await api.get(user, `/environments/${env.id}/secrets`);
      expect({ user, status: res.status, body: res.body }).toEqual({
        user,
        status: 200,
        body: { secrets: { api_token: 'tok-0123456789abcdef' } },
      });
    }
    for (const user of ['chloe', 'vic']) {
      const res = await api.get(user, `/environments/${env.id}/secrets`);
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
      expect(JSON.stringify(res.body)).not.toContain('tok-0123456789abcdef');
    }
    // the environment itself does not carry them
    const read = await api.get('dev', `/environments/${env.id}`);
    expect(JSON.stringify(read.body)).not.toContain('tok-0123456789abcdef');
  });

  it('answers an id that is not one with a 400 naming it', async () => {
    const res = await api.get('dev', '/environments/..%2Fetc/secrets');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^id: must be an id this API gave out \(a UUID\)$/,
    );
  });
});
