import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import Router from 'express-promise-router';
import { freePort } from './freePort';
import {
  successAtDebug,
  webhookRootHttpRouterServiceFactory,
} from './webhookRootHttpRouter';

type Line = { level: string; message: string; meta?: JsonObject | Error };

/** A root logger that keeps every line with its level (the child's meta is merged in). */
function recordingLogger(lines: Line[], bound: JsonObject = {}): LoggerService {
  const at = (level: string) => (message: string, meta?: JsonObject | Error) =>
    void lines.push({
      level,
      message,
      meta: meta instanceof Error ? meta : { ...bound, ...meta },
    });
  return {
    info: at('info'),
    debug: at('debug'),
    warn: at('warn'),
    error: at('error'),
    child: meta => recordingLogger(lines, { ...bound, ...meta }),
  };
}

// 20 KB of JSON: well over the compression middleware's threshold
const big = {
  items: Array.from({ length: 500 }, (_, i) => ({
    i,
    text: 'a webhook answer that compresses well',
  })),
};

const hooksPlugin = createBackendPlugin({
  pluginId: 'hooks',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = Router();
        router.post(
          '/webhooks/ok',
          (_req, res) => void res.status(202).json(big),
        );
        router.post(
          '/webhooks/bad',
          (_req, res) =>
            void res.status(401).json({
              error: {
                name: 'AuthenticationError',
                message: 'signature: does not match',
              },
            }),
        );
        router.get('/report', (_req, res) => void res.json(big));
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

describe('webhookRootHttpRouterServiceFactory', () => {
  const lines: Line[] = [];
  let base: string;
  // Backstage's production backend (startTestBackend brings a root HTTP router of its own)
  const backend = createBackend();

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    backend.add(hooksPlugin);
    backend.add(
      webhookRootHttpRouterServiceFactory({
        webhookPaths: ['/api/hooks/webhooks/'],
      }),
    );
    backend.add(
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: base, listen: { host: '127.0.0.1', port } },
        },
      }),
    );
    backend.add(
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => recordingLogger(lines),
      }),
    );
    await backend.start();
  });

  afterAll(() => backend.stop());

  const accessLog = (url: string) =>
    lines.filter(
      l =>
        !(l.meta instanceof Error) &&
        l.meta?.type === 'incomingRequest' &&
        l.meta.url === url,
    );
  const gzip = { 'accept-encoding': 'gzip' };

  it('answers a webhook path uncompressed, with the security headers, and logs an accepted delivery at debug', async () => {
    const res = await fetch(`${base}/api/hooks/webhooks/ok`, {
      method: 'POST',
      headers: gzip,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual(big);
    await new Promise(r => setTimeout(r, 50)); // the access log is written on 'finish'
    expect(
      accessLog('/api/hooks/webhooks/ok').map(l => [
        l.level,
        (l.meta as JsonObject).status,
      ]),
    ).toEqual([['debug', 202]]);
  });

  it('logs a rejected delivery at info', async () => {
    const res = await fetch(`${base}/api/hooks/webhooks/bad`, {
      method: 'POST',
      headers: gzip,
    });
    expect(res.status).toBe(401);
    await new Promise(r => setTimeout(r, 50));
    expect(
      accessLog('/api/hooks/webhooks/bad').map(l => [
        l.level,
        (l.meta as JsonObject).status,
      ]),
    ).toEqual([['info', 401]]);
  });

  it('answers an unknown webhook path with 404 through the same chain', async () => {
    const res = await fetch(`${base}/api/hooks/webhooks/nothing-here`, {
      method: 'POST',
    });
    expect(res.status).toBe(404);
    await new Promise(r => setTimeout(r, 50));
    expect(
      accessLog('/api/hooks/webhooks/nothing-here').map(l => l.level),
    ).toEqual(['info']);
  });

  it("leaves every other path on Backstage's defaults: compressed and logged at info", async () => {
    const res = await fetch(`${base}/api/hooks/report`, { headers: gzip });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.json()).toEqual(big);
    await new Promise(r => setTimeout(r, 50));
    expect(
      accessLog('/api/hooks/report').map(l => [
        l.level,
        (l.meta as JsonObject).status,
      ]),
    ).toEqual([['info', 200]]);
  });
});

describe('successAtDebug', () => {
  it('moves only lines whose status is below 400 to debug, and keeps the child meta', () => {
    const lines: Line[] = [];
    const logger = successAtDebug(recordingLogger(lines)).child({
      service: 'rootHttpRouter',
    });
    logger.info('ok', { status: 204 });
    logger.info('redirect', { status: 302 });
    logger.info('bad', { status: 400 });
    logger.info('plain');
    logger.warn('careful');
    expect(
      lines.map(l => [l.level, l.message, (l.meta as JsonObject).service]),
    ).toEqual([
      ['debug', 'ok', 'rootHttpRouter'],
      ['debug', 'redirect', 'rootHttpRouter'],
      ['info', 'bad', 'rootHttpRouter'],
      ['info', 'plain', 'rootHttpRouter'],
      ['warn', 'careful', 'rootHttpRouter'],
    ]);
  });
});
