/**
 * DORA metrics: ingestion, attribution, linking, metrics with drill-down, and platform metrics.
 *
 * @packageDocumentation
 */
export { doraPlugin as default, DORA_WEBHOOK_PATHS } from './plugin';
export { DoraMetricsService, parseEntity } from './metrics/DoraMetricsService';
export type {
  MetricsQuery,
  MetricsServiceOptions,
} from './metrics/DoraMetricsService';
export { PlatformMetrics } from './platform/PlatformMetrics';
export { ScaffolderTaskSync } from './platform/ScaffolderTaskSync';
export type { TemplateRun } from './platform/PlatformMetrics';
export { DoraStore } from './store/DoraStore';
export { DeliveryProcessor } from './ingest/DeliveryProcessor';
export { linkSubject } from './linking/link';
