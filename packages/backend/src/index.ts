/*
 * The portal's backend (new backend system). Plugins are added here; their logic lives in plugins/.
 */

import { createBackend } from '@backstage/backend-defaults';
import { DORA_WEBHOOK_PATHS } from '@internal/plugin-dora-backend';
import {
  rootHealthWithGatesServiceFactory,
  webhookRootHttpRouterServiceFactory,
} from '@internal/plugin-platform-node';

const backend = createBackend();

// Backstage's root HTTP router, except that webhook deliveries (stored one by one by the plugin
// that receives them) are not compressed and, when accepted, access-logged at debug
// (plugins/platform-node/src/webhookRootHttpRouter.ts).
backend.add(
  webhookRootHttpRouterServiceFactory({ webhookPaths: DORA_WEBHOOK_PATHS }),
);

// Backstage's readiness probe, which also waits for the plugins' readiness gates (the catalog holding
// the organisation: plugins/auth-backend-module-catalog-sign-in).
backend.add(rootHealthWithGatesServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@internal/plugin-scaffolder-backend-module-environments'));
// the golden paths' actions, and publish:gitea (upstream's, made resumable: it replaces the
// upstream module @backstage/plugin-scaffolder-backend-module-gitea, which is not added)
backend.add(import('@internal/plugin-scaffolder-backend-module-golden-path'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// Sign-in: `oidc` (the forge, or the company's OIDC provider; upstream's authenticator) and, in
// development, `guest`, both resolved to catalog Users and waiting for the catalog at a cold start
backend.add(import('@internal/plugin-auth-backend-module-catalog-sign-in'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// one annotation for what the permission policy lets only owners read (policies/README.md)
backend.add(import('@internal/plugin-catalog-backend-module-visibility'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Every decision comes from OPA evaluating policies/ (see policies/README.md)
backend.add(import('@internal/plugin-permission-backend-module-opa'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// the events bus between replicas: on PostgreSQL its store spans instances, so that a signal (or
// any event) published on one replica reaches subscribers, and browsers, on the others
backend.add(import('@backstage/plugin-events-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// the portal's own plugins
backend.add(import('@internal/plugin-platform-backend'));
backend.add(import('@internal/plugin-environments-backend'));
backend.add(import('@internal/plugin-catalog-backend-module-environments'));
backend.add(import('@internal/plugin-dora-backend'));

// A plugin that refuses to start (for example a development default with NODE_ENV=production; its
// error, naming the key, is logged above by the backend) stops the process instead of leaving it up
// unready.
backend.start().catch(() => {
  console.error(
    'Backend startup failed; the errors are logged above. Exiting.',
  );
  process.exit(1);
});
