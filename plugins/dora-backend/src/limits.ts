/**
 * Every limit of the dora plugin in one place. Config keys that override one name it; each is
 * documented in config.d.ts and the README.
 */

/** The largest webhook delivery or JSON API body accepted, in bytes (default of dora.maxPayloadBytes). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The most items one page of a list endpoint returns (`limit` above it is a 400). */
export const MAX_PAGE_SIZE = 500;

/** The page size when a list request names no `limit`. */
export const DEFAULT_PAGE_SIZE = 100;

/** The longest delivery id, event type, idempotency key and CDEvent type accepted, in characters. */
export const MAX_ID_LENGTH = 255;

/** Webhook requests a source may make in a window (default of dora.sources[].rateLimit), per backend process. */
export const DEFAULT_WEBHOOK_RATE_LIMIT = { requests: 1200, windowSeconds: 60 };
