/**
 * DORA metrics and scorecards in the portal.
 *
 * @packageDocumentation
 */
export { doraPlugin as default } from './plugin';
export { doraApiRef } from './api/DoraApi';
export type {
  DoraApi,
  MetricsRequest,
  DrillDownRequest,
  PlatformRequest,
} from './api/DoraApi';
export { DoraClient } from './api/DoraClient';
