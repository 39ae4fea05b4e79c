/**
 * Every limit of the dora plugin in one place. Config keys that override one name it; each is
 * documented in config.d.ts and the README.
 */

/** The largest webhook delivery or JSON API body accepted, in bytes (default of dora.maxPayloadBytes). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The most items one page of a list endpoint returns, and the default page size (shared with the frontend). */
export {
  DORA_MAX_PAGE_SIZE as MAX_PAGE_SIZE,
  DORA_DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE,
  DORA_MAX_OFFSET as MAX_OFFSET,
} from '@internal/plugin-dora-common';

/**
 * The most entities one POST /metrics/batch names (shared with the frontend, which asks for more in
 * requests of this many); over it the request is a 400 naming `entities`.
 */
export { DORA_MAX_METRICS_BATCH as MAX_METRICS_BATCH } from '@internal/plugin-dora-common';

/** The longest metrics window, in days (`window` of /metrics, /metrics/drilldown and the actions), and its default. */
export const MAX_WINDOW_DAYS = 366;
export const DEFAULT_WINDOW_DAYS = 30;

/** The longest delivery id, event type, idempotency key and CDEvent type accepted, in characters. */
export const MAX_ID_LENGTH = 255;

/** Webhook requests a source may make in a window (default of dora.sources[].rateLimit), per backend process: 50 a second on average, above the demo seeder's 1,679 deliveries in a burst. */
export const DEFAULT_WEBHOOK_RATE_LIMIT = { requests: 3000, windowSeconds: 60 };
