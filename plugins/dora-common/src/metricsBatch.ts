import { MetricsResult } from './types';

/**
 * The most entities one `POST /metrics/batch` names; the frontend asks for more in requests of
 * this many. Over it the request is `400 entities: must name at most ... entities a request`.
 */
export const DORA_MAX_METRICS_BATCH = 100;

/**
 * One entity's answer in a batch, under the entity as it was asked: what `GET /metrics` answers
 * for it (`result`), or the error `GET /metrics` answers instead (`error`: a 404 for a component or
 * team the caller may not see, with nothing of its numbers).
 */
export type MetricsBatchItem =
  | { entity: string; result: MetricsResult; error?: undefined }
  | {
      entity: string;
      result?: undefined;
      error: { name: string; message: string; statusCode: number };
    };

/** The answer of `POST /metrics/batch`: one item an entity asked, in the order asked. */
export interface MetricsBatchResponse {
  items: MetricsBatchItem[];
}
