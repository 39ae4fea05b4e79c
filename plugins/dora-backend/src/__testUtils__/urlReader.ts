/*
 * Test-only: Backstage's URL reader (the urlReader core service's own factory) for a config, to
 * read the local Gitea (testForge from @internal/backend-test-utils) as the plugin does. Imported
 * by *.test.ts files alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';

export function realUrlReader(data: JsonObject): Promise<UrlReaderService> {
  return ServiceFactoryTester.from(mockServices.urlReader.factory(), {
    dependencies: [mockServices.rootConfig.factory({ data })],
  }).getSubject();
}
