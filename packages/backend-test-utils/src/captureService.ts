/*
 * Hands a test the instance of a service that a given plugin receives inside startTestBackend,
 * by way of a do-nothing module of that plugin that depends on the service.
 */

// Test-only: imported by *.test.ts files alone, hence from devDependencies, which the rule expects
// only in files named like tests.
/* eslint-disable @backstage/no-undeclared-imports */

import {
  BackendFeature,
  ServiceRef,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export function captureService<T>(
  pluginId: string,
  service: ServiceRef<T, 'plugin' | 'root', 'singleton'>,
): { feature: BackendFeature; get(): T } {
  let captured: { value: T } | undefined;
  const feature = createBackendModule({
    pluginId,
    moduleId: `test-capture-${service.id.replace(/[^a-z0-9]+/gi, '-')}`,
    register(reg) {
      reg.registerInit({
        deps: { service },
        async init({ service: value }) {
          captured = { value };
        },
      });
    },
  });
  return {
    feature,
    get() {
      if (!captured) {
        throw new Error(
          `${service.id} of plugin ${pluginId} was not captured; has the backend started?`,
        );
      }
      return captured.value;
    },
  };
}
