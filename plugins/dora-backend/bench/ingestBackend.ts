/*
 * The backend that bench/dora-ingest.sh measures, run as a Node process of its own by ingest.ts:
 * the dora plugin on Backstage's production services, as packages/backend wires them: `createBackend()`
 * with the portal's root HTTP router (webhookRootHttpRouterServiceFactory with DORA_WEBHOOK_PATHS:
 * helmet, CORS, request logging with accepted deliveries at debug, rate limiting, no compression on
 * webhook paths); the plugin router's credentials barrier; the database and scheduler services on
 * PostgreSQL; the root logger at its default level, writing to the file ingest.ts gives as stdout.
 *
 * The one stand-in is the catalog: the catalog plugin is not in this process, so an in-memory
 * catalog holds the component that the benchmark's events name.
 *
 * Config comes as JSON in DORA_BENCH_CONFIG.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { webhookRootHttpRouterServiceFactory } from '@internal/plugin-platform-node';
import { DORA_WEBHOOK_PATHS, doraPlugin } from '../src/plugin';
import { benchComponent } from './ingestEvents';

const backend = createBackend();
backend.add(
  createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () =>
      new ConfigReader(
        JSON.parse(process.env.DORA_BENCH_CONFIG ?? '{}'),
        'DORA_BENCH_CONFIG',
      ),
  }),
);
backend.add(
  createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      new InMemoryCatalogClient({ entities: [benchComponent] }) as any,
  }),
);
backend.add(
  webhookRootHttpRouterServiceFactory({ webhookPaths: DORA_WEBHOOK_PATHS }),
);
backend.add(doraPlugin);
backend.start().catch(e => {
  process.stderr.write(
    `the benchmark's backend failed to start: ${e?.stack ?? e}\n`,
  );
  process.exit(1);
});
