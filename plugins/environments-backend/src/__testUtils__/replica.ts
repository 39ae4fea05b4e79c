/*
 * One backend replica for the multi-process tests (replicas.test.ts), run as its own Node process
 * by ReplicaProcess: the environments plugin, the permission backend with the OPA module, the
 * real scheduler and database services (PostgreSQL, from the config), and test-only mock
 * credentials with each user's groups from catalog/org.yaml, as in plugin.test.ts.
 *
 * Config comes as JSON in PORTAL_REPLICA_CONFIG; when it listens, it prints "REPLICA_READY <port>".
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  actorAwareMockAuthFactory,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import { AddressInfo } from 'node:net';
import { environmentsPlugin } from '../plugin';

async function main() {
  const data = JSON.parse(process.env.PORTAL_REPLICA_CONFIG ?? '{}');
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({
        level: (process.env.TEST_LOG_LEVEL as any) ?? 'warn',
      }),
      mockServices.rootConfig.factory({ data }),
      schedulerServiceFactory,
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  process.stdout.write(`REPLICA_READY ${port}\n`);
  const stop = () => backend.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`replica failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
