import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { platformPlugin } from './plugin';

describe('platform plugin', () => {
  it('reports the tools the backend found, with their versions', async () => {
    const { server } = await startTestBackend({
      features: [platformPlugin, mockServices.rootConfig.factory({ data: {} })],
    });

    const res = await request(server)
      .get('/api/platform/info')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.tools.map((t: { name: string }) => [t.name, t]),
    );
    expect(byName.opa).toMatchObject({
      source: 'PATH',
      version: expect.stringMatching(/^1\.\d+\.\d+$/),
    });
    expect(byName.tofu).toMatchObject({
      source: 'PATH',
      version: expect.stringMatching(/^1\.\d+\.\d+$/),
    });
  });

  it('reports a missing tool with the config key to set instead of failing', async () => {
    const { server } = await startTestBackend({
      features: [
        platformPlugin,
        mockServices.rootConfig.factory({
          data: { opa: { binary: '/nonexistent/opa' } },
        }),
      ],
    });

    const res = await request(server)
      .get('/api/platform/info')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    const opa = res.body.tools.find((t: { name: string }) => t.name === 'opa');
    expect(opa.error).toContain("opa.binary is set to '/nonexistent/opa'");
    expect(opa.version).toBeUndefined();
  });

  it('refuses anonymous callers', async () => {
    // The test backend treats a request without credentials as a signed-in
    // user unless told otherwise; make it treat it as nobody.
    const { server } = await startTestBackend({
      features: [
        platformPlugin,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const res = await request(server).get('/api/platform/info');
    expect(res.status).toBe(401);
    const health = await request(server).get('/api/platform/health');
    expect(health.status).toBe(200);
  });
});
