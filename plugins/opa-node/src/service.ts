import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { findTool } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import path from 'node:path';
import { fallbackFromConfig } from './fallback';
import { HttpOpaClient } from './HttpOpaClient';
import { LocalOpaServer } from './LocalOpaServer';
import { OpaClient } from './OpaClient';

/**
 * Reads the client's settings from `opa.*`. Throws, naming the key, when `opa.fallback` is
 * malformed, or allows a permission without a condition in production (NODE_ENV=production).
 */
export function clientOptionsFromConfig(
  config: Config,
  url: string,
  env: { NODE_ENV?: string } = process.env,
) {
  return {
    url,
    timeoutMs: config.getOptionalNumber('opa.timeoutMs') ?? 200,
    cacheTtlMs: config.getOptionalNumber('opa.cache.ttlMs') ?? 2000,
    cacheMaxEntries: config.getOptionalNumber('opa.cache.maxEntries') ?? 10000,
    breakerFailureThreshold:
      config.getOptionalNumber('opa.breaker.failureThreshold') ?? 5,
    breakerResetMs: config.getOptionalNumber('opa.breaker.resetMs') ?? 2000,
    fallback: fallbackFromConfig(config, {
      production: env.NODE_ENV === 'production',
    }),
    revisionDataPaths: config.getOptionalStringArray(
      'opa.revisionDataPaths',
    ) ?? ['portal/org', 'portal/guardrails'],
  };
}

/**
 * The portal's one OPA client, shared by every plugin (root scope: one breaker, one cache, one
 * connection pool per backend). With `opa.url` it talks to OPA as a sidecar; with
 * `opa.local.policyDir` it starts `opa run --server` itself and stops it at shutdown.
 */
export const opaClientServiceRef = createServiceRef<OpaClient>({
  id: 'portal.opa.client',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, logger, lifecycle }) {
        const log = logger.child({ service: 'opa' });
        // Checked before anything starts: a refused fallback stops the backend, naming the key.
        fallbackFromConfig(config, {
          production: process.env.NODE_ENV === 'production',
        });
        let url = config.getOptionalString('opa.url');
        let mode: 'sidecar' | 'local' = 'sidecar';
        let local: LocalOpaServer | undefined;
        if (!url) {
          const policyDir = config.getOptionalString('opa.local.policyDir');
          if (!policyDir) {
            throw new Error(
              'OPA is not configured: set opa.url (OPA as a sidecar) or opa.local.policyDir (the backend starts OPA)',
            );
          }
          const tool = await findTool(config, 'opa');
          const logFile = config.getOptionalString('opa.local.decisionLogFile');
          let stream: fs.WriteStream | undefined;
          if (logFile) {
            fs.mkdirSync(path.dirname(path.resolve(logFile)), {
              recursive: true,
            });
            stream = fs.createWriteStream(logFile, { flags: 'a' });
          }
          local = await LocalOpaServer.start({
            binary: tool.path,
            policyDir: path.resolve(policyDir),
            onDecisionLog: line =>
              stream ? stream.write(`${line}\n`) : log.debug(line),
            onLog: line => log.warn(line),
          });
          url = local.url;
          mode = 'local';
          const decisionLog = logFile ? `, decision log in ${logFile}` : '';
          log.info(
            `started ${tool.path} on ${url} with ${path.resolve(
              policyDir,
            )} (watched)${decisionLog}`,
          );
          lifecycle.addShutdownHook(async () => {
            await local?.stop();
            stream?.end();
          });
        }
        const client = new HttpOpaClient({
          ...clientOptionsFromConfig(config, url),
          mode,
        });
        await client.watchRevision(
          config.getOptionalNumber('opa.revisionIntervalMs') ?? 2000,
        );
        log.info(
          `OPA at ${url}, policy revision ${
            client.status().revision ?? 'unknown'
          }`,
        );
        lifecycle.addShutdownHook(() => client.stop());
        return client;
      },
    }),
});
