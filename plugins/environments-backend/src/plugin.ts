import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { environmentPermissions } from '@internal/plugin-environments-common';
import { notificationService } from '@backstage/plugin-notifications-node';
import { opaClientServiceRef } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import os from 'node:os';
import path from 'node:path';
import { BlueprintCatalog } from './blueprints/BlueprintCatalog';
import { environmentResourceRef, environmentRules } from './permissions/rules';
import { createRouter } from './router';
import { TofuRunner } from './runner/TofuRunner';
import { auditStateChanges } from './service/auditStateChanges';
import { EnvironmentService } from './service/EnvironmentService';
import { ExpiryReminders } from './service/ExpiryReminders';
import { Guardrails } from './service/Guardrails';
import { RefusalRateLimit } from './service/RefusalRateLimit';
import { RunRetention } from './service/RunRetention';
import { RunWorker } from './service/RunWorker';
import { SecretBox } from './secrets/SecretBox';
import { readSecretsConfig } from './secrets/secretsConfig';
import { EnvironmentStore } from './store/EnvironmentStore';

/**
 * The sandbox environment vending service: REST API, blueprints from git, guardrails in OPA, the
 * run queue worked by every replica, and the reaper.
 */
export const environmentsPlugin = createBackendPlugin({
  pluginId: 'environments',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        opa: opaClientServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        userInfo,
        permissions,
        permissionsRegistry,
        scheduler,
        auditor,
        lifecycle,
        opa,
        notifications,
      }) {
        const knex = await database.getClient();
        // Refuses, naming the key, a development or short key in production.
        const secrets = readSecretsConfig(config);
        secrets.warnings.forEach(w => logger.warn(w));
        const store = await EnvironmentStore.create(knex, {
          skipMigrations: database.migrations?.skip,
          secrets: new SecretBox(secrets.keys),
        });
        const reencrypted = await store.secrets.reencrypt();
        if (reencrypted)
          logger.info(
            `encrypted ${reencrypted} stored secret value(s) with key ${secrets.keys[0].id}`,
          );
        const blueprints = BlueprintCatalog.load(
          path.resolve(
            config.getOptionalString('environments.blueprintsDir') ??
              '../../templates/environments',
          ),
          logger,
        );
        blueprints.watch();
        lifecycle.addShutdownHook(() => blueprints.stop());

        const workRoot = path.resolve(
          config.getOptionalString('environments.workDir') ??
            path.join(os.tmpdir(), 'portal-environments'),
        );
        const stateConn = config.getOptionalString(
          'environments.state.pgConnectionString',
        );
        const adminUrl = config.getOptionalString(
          'environments.postgres.adminUrl',
        );
        const runner = new TofuRunner({
          platformEnv: { postgresAdminUrl: adminUrl },
          stateEncryptionPassphrase: secrets.statePassphrase,
          binary: (await findTool(config, 'tofu')).path,
          workRoot: path.join(workRoot, 'work'),
          state: stateConn
            ? { type: 'pg', connectionString: stateConn }
            : { type: 'local', dir: path.join(workRoot, 'state') },
        });
        lifecycle.addShutdownHook(() => runner.close());
        const refusalLimit = new RefusalRateLimit(store, {
          max: config.getOptionalNumber('environments.rateLimit.refusals.max'),
          windowMinutes: config.getOptionalNumber(
            'environments.rateLimit.refusals.windowMinutes',
          ),
        });
        const service = new EnvironmentService({
          store,
          blueprints,
          guardrails: new Guardrails(opa),
          auditor,
          refusalLimit,
        });
        auditStateChanges(store, auditor, logger);
        const runs = {
          pollSeconds:
            config.getOptionalNumber('environments.runs.pollSeconds') ?? 2,
          heartbeatSeconds:
            config.getOptionalNumber('environments.runs.heartbeatSeconds') ?? 5,
          staleAfterSeconds:
            config.getOptionalNumber('environments.runs.staleAfterSeconds') ??
            60,
          concurrency:
            config.getOptionalNumber('environments.runs.concurrency') ?? 2,
        };
        const worker = new RunWorker(store, blueprints, runner, {
          workerId: `${os.hostname()}:${process.pid}`,
          heartbeatMs: runs.heartbeatSeconds * 1000,
          concurrency: runs.concurrency,
          logger,
        });
        // A run this replica queues starts at once; runs queued by other replicas at the next poll.
        lifecycle.addShutdownHook(
          store.runs.onQueued(() => void worker.kick()),
        );

        permissionsRegistry.addResourceType({
          resourceRef: environmentResourceRef,
          permissions: environmentPermissions,
          rules: environmentRules,
          getResources: async ids =>
            Promise.all(ids.map(id => store.get(id).catch(() => undefined))),
        });

        // Every replica works the queue; the reaper and the stale-run takeover run on one at a time.
        await scheduler.scheduleTask({
          id: 'environments-worker',
          scope: 'local',
          frequency: { seconds: runs.pollSeconds },
          timeout: { minutes: 1 },
          fn: async () => worker.kick(),
        });
        await scheduler.scheduleTask({
          id: 'environments-reaper',
          scope: 'global',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          fn: async () => {
            const reaped = await service.reapExpired();
            if (reaped.length)
              logger.info(
                `reaper: ${reaped.length} expired environment(s) sent to destroying`,
              );
          },
        });
        const reminders = new ExpiryReminders(store, notifications, {
          beforeHours:
            config.getOptionalNumber('environments.reminders.beforeHours') ??
            24,
          logger,
          auditor,
        });
        await scheduler.scheduleTask({
          id: 'environments-reminders',
          scope: 'global',
          frequency: { minutes: 5 },
          timeout: { minutes: 2 },
          fn: async () => {
            const sent = await reminders.send();
            if (sent.length)
              logger.info(
                `sent expiry reminders for ${sent.length} environment(s)`,
              );
          },
        });
        await scheduler.scheduleTask({
          id: 'environments-drift',
          scope: 'global',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const n = await service.checkDrift();
            logger.info(`drift check queued for ${n} active environment(s)`);
          },
        });
        await scheduler.scheduleTask({
          id: 'environments-stale-runs',
          scope: 'global',
          frequency: {
            seconds: Math.max(
              1,
              Math.min(30, Math.floor(runs.staleAfterSeconds / 2)),
            ),
          },
          timeout: { minutes: 1 },
          fn: async () => {
            const taken = await store.runs.requeueStale(
              new Date(Date.now() - runs.staleAfterSeconds * 1000),
            );
            if (taken.length)
              logger.warn(
                `took over ${taken.length} run(s) whose worker stopped: ${taken
                  .map(r => r.id)
                  .join(', ')}`,
              );
          },
        });

        await new RunRetention(
          { store, logger },
          {
            runDays: config.getOptionalNumber('environments.retention.runDays'),
            intervalMinutes: config.getOptionalNumber(
              'environments.retention.intervalMinutes',
            ),
          },
        ).schedule(scheduler);

        httpRouter.use(
          await createRouter({
            store,
            service,
            blueprints,
            httpAuth,
            userInfo,
            permissions,
            appBaseUrl: config.getString('app.baseUrl'),
          }),
        );
      },
    });
  },
});
