import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  DefaultReadinessService,
  readinessServiceRef,
  rootHealthWithGatesServiceFactory,
} from './readiness';

describe('readiness gates', () => {
  it('the backend reports ready only once every gate has opened, naming those still closed', async () => {
    let orgIngested = false;
    let asked = 0;
    const plugin = createBackendPlugin({
      pluginId: 'gated',
      register(reg) {
        reg.registerInit({
          deps: { readiness: readinessServiceRef },
          async init({ readiness }) {
            readiness.addGate(
              "the catalog holds the organisation's users and groups",
              async () => {
                asked += 1;
                return orgIngested;
              },
            );
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [rootHealthWithGatesServiceFactory, plugin],
    });
    try {
      const probe = () =>
        request(backend.server).get('/.backstage/health/v1/readiness');
      const waiting = await probe();
      expect(waiting.status).toBe(503);
      expect(waiting.body).toEqual({
        status: 'error',
        message:
          "Waiting for: the catalog holds the organisation's users and groups",
      });
      orgIngested = true;
      expect((await probe()).status).toBe(200);
      // Open for good: not asked again.
      const before = asked;
      orgIngested = false;
      expect((await probe()).status).toBe(200);
      expect(asked).toBe(before);
      expect(
        (await request(backend.server).get('/.backstage/health/v1/liveness'))
          .status,
      ).toBe(200);
    } finally {
      await backend.stop();
    }
  });

  it('a check that throws or hangs counts as closed', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const readiness = new DefaultReadinessService();
      readiness.addGate('throws', async () => {
        throw new Error('catalog unreachable');
      });
      readiness.addGate('hangs', () => new Promise<boolean>(() => {}));
      readiness.addGate('open', async () => true);
      const pending = readiness.pending();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(await pending).toEqual(['throws', 'hangs']);
      expect(() => readiness.addGate('open', async () => true)).toThrow(
        'readiness gate "open" is already added',
      );
    } finally {
      jest.useRealTimers();
    }
  });
});
