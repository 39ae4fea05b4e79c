import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { doraPermissions, MetricName } from '@internal/plugin-dora-common';
import { CatalogAttribution } from './attribution/Attribution';
import { DeliveryProcessor } from './ingest/DeliveryProcessor';
import { readSources } from './ingest/sources';
import { assertDoraProductionConfig } from './config/productionChecks';
import { DoraMetricsService } from './metrics/DoraMetricsService';
import { PlatformMetrics } from './platform/PlatformMetrics';
import { ScaffolderTaskSync } from './platform/ScaffolderTaskSync';
import { createRouter } from './router';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './limits';
import { DoraStore } from './store/DoraStore';
import { readOrgBenchmarks } from './metrics/orgBenchmarks';
import { ScorecardDefinitions } from './scorecards/ScorecardDefinitions';
import { ScorecardService } from './scorecards/ScorecardService';
import { ScorecardStore } from './store/ScorecardStore';
import { DemoSeeder } from './seed/DemoSeeder';
import path from 'node:path';

/**
 * Where GitHub, GitLab and CDEvents sources deliver: the portal's root HTTP router treats these
 * paths as webhooks (no compression; accepted deliveries access-logged at debug, since each is
 * stored), see webhookRootHttpRouterServiceFactory in @internal/plugin-platform-node.
 */
export const DORA_WEBHOOK_PATHS = ['/api/dora/webhooks/'];

/**
 * DORA metrics: signed webhooks and a JSON API store deliveries raw; the processor normalises them
 * apart from receiving, attributes them to catalog components and links them; the metrics service
 * answers the five metrics with their rows; template runs come from the scaffolder.
 */
export const doraPlugin = createBackendPlugin({
  pluginId: 'dora',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        discovery,
        permissions,
        permissionsRegistry,
        scheduler,
        auditor,
        lifecycle,
        catalog,
      }) {
        assertDoraProductionConfig(config); // NODE_ENV=production: no development default
        const knex = await database.getClient();
        const store = await DoraStore.create(knex, {
          skipMigrations: database.migrations?.skip,
        });
        const sources = readSources(config);
        const processor = new DeliveryProcessor(
          {
            store,
            attribution: new CatalogAttribution({ catalog, auth, logger }),
            sources,
            logger,
          },
          {
            productionEnvironments: (
              config.getOptionalStringArray('dora.productionEnvironments') ?? [
                'production',
                'prod',
              ]
            ).map(e => e.toLowerCase()),
            link: {
              firstDeploymentLookbackMs:
                (config.getOptionalNumber(
                  'dora.linking.firstDeploymentLookbackDays',
                ) ?? 30) *
                24 *
                3600_000,
              incidentWindowMs:
                (config.getOptionalNumber('dora.linking.incidentWindowHours') ??
                  24) * 3600_000,
            },
            batchSize: 500,
            quietMs: config.getOptionalNumber('dora.processing.quietMs') ?? 250,
            maxDelayMs:
              config.getOptionalNumber('dora.processing.maxDelayMs') ?? 2000,
          },
        );
        lifecycle.addShutdownHook(() => processor.idle());
        const minimum = config.getOptionalNumber(
          'dora.metrics.minimumSampleSize',
        );
        const metrics = new DoraMetricsService(store, {
          benchmarks: readOrgBenchmarks(config),
          defaultBenchmark:
            config.getOptionalString('dora.metrics.benchmark') ?? '2024',
          minimumSample:
            minimum === undefined
              ? undefined
              : ({
                  deploymentFrequency: minimum,
                  changeLeadTime: minimum,
                  changeFailureRate: minimum,
                  failedDeploymentRecoveryTime: minimum,
                  deploymentReworkRate: minimum,
                } as Record<MetricName, number>),
        });
        const platform = new PlatformMetrics(store);

        permissionsRegistry.addPermissions(doraPermissions);

        await scheduler.scheduleTask({
          id: 'dora-normalise',
          scope: 'local',
          frequency: {
            seconds:
              config.getOptionalNumber('dora.processing.frequencySeconds') ??
              10,
          },
          timeout: { minutes: 5 },
          fn: async () => {
            try {
              await processor.drain();
            } catch (e) {
              logger.error(`normalising deliveries failed: ${e}`);
              throw e;
            }
          },
        });
        await scheduler.scheduleTask({
          id: 'dora-reattribute',
          scope: 'global',
          frequency: { minutes: 5 },
          initialDelay: { minutes: 1 },
          timeout: { minutes: 5 },
          fn: async () => {
            const moved = await processor.reattribute();
            if (moved.length)
              logger.info(
                `attributed the rows of ${moved.join(
                  ', ',
                )} to components the catalog now knows`,
              );
          },
        });
        if (config.getOptionalBoolean('dora.scaffolder.sync') ?? true) {
          const sync = new ScaffolderTaskSync({
            platform,
            discovery,
            auth,
            catalog,
            logger,
          });
          await scheduler.scheduleTask({
            id: 'dora-scaffolder-sync',
            scope: 'global',
            frequency: {
              minutes:
                config.getOptionalNumber('dora.scaffolder.frequencyMinutes') ??
                15,
            },
            initialDelay: { minutes: 1 },
            timeout: { minutes: 5 },
            fn: async () => {
              const n = await sync.sync();
              logger.info(`scaffolder sync: ${n} template run(s) recorded`);
            },
          });
        }

        // Scorecards from git, evaluated on a schedule (one replica at a time), results in the database.
        const definitions = ScorecardDefinitions.load(
          path.resolve(
            config.getOptionalString('dora.scorecards.dir') ??
              '../../scorecards',
          ),
          logger,
        );
        definitions.watch();
        lifecycle.addShutdownHook(() => definitions.stop());
        const scorecards = new ScorecardService({
          definitions,
          store: new ScorecardStore(knex),
          catalog,
          auth,
          metrics,
          logger,
        });
        await scheduler.scheduleTask({
          id: 'dora-scorecards',
          scope: 'global',
          frequency: {
            minutes:
              config.getOptionalNumber('dora.scorecards.frequencyMinutes') ??
              60,
          },
          initialDelay: {
            seconds:
              config.getOptionalNumber('dora.scorecards.initialDelaySeconds') ??
              60,
          },
          timeout: { minutes: 10 },
          fn: async () => {
            await scorecards.evaluateAll();
          },
        });

        // Demo data for the embedded default: a signed GitHub history through the webhook endpoint,
        // once, when no delivery is stored.
        if (config.getOptionalBoolean('dora.demo.seed')) {
          const sourceId =
            config.getOptionalString('dora.demo.source') ?? 'github-demo';
          const source = sources.get(sourceId);
          if (!source)
            throw new Error(
              `dora.demo.source: '${sourceId}' is not one of dora.sources`,
            );
          const seeder = new DemoSeeder({
            source,
            countDeliveries: async () =>
              Object.values(await store.deliveries.count()).reduce(
                (a, b) => a + b,
                0,
              ),
            baseUrl: () => discovery.getBaseUrl('dora'),
            knownRepositories: async () => {
              const { items } = await catalog.getEntities(
                {
                  filter: { kind: 'Component' },
                  fields: ['metadata.annotations'],
                },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              return new Set(
                items
                  .map(e =>
                    e.metadata.annotations?.[
                      'github.com/project-slug'
                    ]?.toLowerCase(),
                  )
                  .filter((s): s is string => !!s),
              );
            },
            logger,
          });
          lifecycle.addStartupHook(() => {
            seeder
              .seedIfEmpty()
              .catch(e => logger.error(`demo data: seeding failed: ${e}`));
          });
        }

        httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
        httpRouter.use(
          await createRouter({
            store,
            processor,
            metrics,
            platform,
            sources,
            httpAuth,
            permissions,
            catalog,
            auditor,
            scorecards: { service: scorecards, definitions },
            maxPayloadBytes:
              config.getOptionalNumber('dora.maxPayloadBytes') ??
              DEFAULT_MAX_PAYLOAD_BYTES,
            processImmediately:
              config.getOptionalBoolean('dora.processing.immediate') ?? true,
          }),
        );
      },
    });
  },
});
