/*
 * The OPA client service in local mode: the backend starts a real `opa run --server` with the
 * configured policy folder, writes OPA's decision log to a file, and stops OPA at shutdown.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpaClient } from './OpaClient';
import { opaClientServiceRef } from './service';

function pluginUsingOpa(onInit: (opa: OpaClient) => void) {
  return createBackendPlugin({
    pluginId: 'uses-opa',
    register(env) {
      env.registerInit({
        deps: { opa: opaClientServiceRef, logger: coreServices.logger },
        async init({ opa }) {
          onInit(opa);
        },
      });
    },
  });
}

describe('opaClientServiceRef', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-service-test-'));
    fs.mkdirSync(path.join(dir, 'policies'));
    fs.writeFileSync(
      path.join(dir, 'policies', 'p.rego'),
      'package p\n\nanswer := input.x * 2\n',
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts OPA in local mode, logs its decisions to a file, and stops it at shutdown', async () => {
    let opa: OpaClient | undefined;
    const logFile = path.join(dir, 'log', 'decisions.log');
    const backend = await startTestBackend({
      features: [
        pluginUsingOpa(o => (opa = o)),
        mockServices.rootConfig.factory({
          data: {
            opa: {
              local: {
                policyDir: path.join(dir, 'policies'),
                decisionLogFile: logFile,
              },
            },
          },
        }),
      ],
    });
    const d = await opa!.query('p/answer', { x: 21 });
    expect(d.result).toBe(42);
    expect(opa!.status()).toMatchObject({
      mode: 'local',
      breaker: 'closed',
      timeoutMs: 200,
    });
    const url = opa!.status().url;

    await new Promise(r => setTimeout(r, 500));
    const log = fs
      .readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(log).toContainEqual(
      expect.objectContaining({
        decision_id: d.decisionId,
        path: 'p/answer',
        result: 42,
      }),
    );

    await backend.stop();
    await expect(fetch(`${url}health`)).rejects.toThrow();
  });

  it('refuses to start without opa.url or opa.local.policyDir, naming both', async () => {
    await expect(
      startTestBackend({
        features: [
          pluginUsingOpa(() => {}),
          mockServices.rootConfig.factory({ data: {} }),
        ],
      }),
    ).rejects.toThrow(/set opa\.url .* or opa\.local\.policyDir/);
  });

  describe('with NODE_ENV=production', () => {
    const nodeEnv = process.env.NODE_ENV;
    beforeEach(() => {
      process.env.NODE_ENV = 'production';
    });
    afterEach(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    const start = (fallback: object) =>
      startTestBackend({
        features: [
          pluginUsingOpa(() => {}),
          mockServices.rootConfig.factory({
            data: { opa: { url: 'http://127.0.0.1:1', fallback } },
          }),
        ],
      });

    it('refuses to start when the fallback allows a permission without a condition, naming the key', async () => {
      await expect(start({ allow: ['catalog.entity.read'] })).rejects.toThrow(
        /opa\.fallback\.allow must be empty when NODE_ENV=production: it allows catalog\.entity\.read without a condition/,
      );
    });

    it('starts with a conditional fallback', async () => {
      const conditions = {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: '$claims' },
      };
      const starting = start({
        allow: [],
        conditional: [
          {
            permission: 'catalog.entity.read',
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions,
          },
        ],
      });
      await expect(starting).resolves.toBeDefined();
      await (await starting).stop();
    });
  });
});
