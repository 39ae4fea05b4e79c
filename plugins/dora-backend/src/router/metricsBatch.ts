import {
  MetricsBatchItem,
  MetricsBatchResponse,
} from '@internal/plugin-dora-common';
import { z } from 'zod';
import { MAX_METRICS_BATCH } from '../limits';
import { DoraMetricsService, parseEntity } from '../metrics/DoraMetricsService';
import { Access, Credentials } from './access';
import { atDate, parseInput, windowQuery } from './params';

const ENTITY_RULE =
  'must be org, a component ref (component:default/name) or a group ref (group:default/name)';

/**
 * The body of POST /metrics/batch: GET /metrics's query with `entities` (1 to MAX_METRICS_BATCH)
 * for `entity`. A malformed entity or too many is a 400 naming the field (`entities.3`,
 * `entities`); nothing else may be in the body.
 */
export const metricsBatchBody = windowQuery
  .extend({
    entities: z
      .array(
        z
          .string({ error: ENTITY_RULE })
          .max(255, 'must be at most 255 characters')
          .regex(/^(org|(component|group):[a-z0-9-_.]+\/[a-z0-9-_.]+)$/i, {
            error: ENTITY_RULE,
          }),
        { error: 'is required: a list of org, component refs and group refs' },
      )
      .min(1, 'must name at least one entity')
      .max(
        MAX_METRICS_BATCH,
        `must name at most ${MAX_METRICS_BATCH} entities a request (ask for more in several requests)`,
      ),
    benchmark: z.string().max(63).optional(),
  })
  .strict();

/**
 * POST /metrics/batch's answer to a caller already authorized for dora.metrics.read: one item an
 * entity asked, in order, each with GET /metrics's answer for it (`result`), or, for a component
 * or team the catalog does not let the caller see, the 404 GET /metrics answers (`error`), and
 * nothing of its numbers. Visibility is one catalog read for the whole request (Access.notVisible,
 * with the caller's credentials, as GET /metrics's); the metrics of the others are read together
 * (DoraMetricsService.getMetricsMany).
 */
export async function readMetricsBatch(
  {
    metrics,
    access,
  }: { metrics: DoraMetricsService; access: Pick<Access, 'notVisible'> },
  credentials: Credentials,
  body: unknown,
): Promise<MetricsBatchResponse> {
  // a body that is not JSON is none: `entities` is missing
  const q = parseInput(metricsBatchBody, body ?? {});
  const entities = q.entities.map(parseEntity);
  const hidden = await access.notVisible(
    credentials,
    entities.flatMap(e => (e.kind === 'org' ? [] : [e.ref])),
  );
  const shown = entities.filter(e => e.kind === 'org' || !hidden.has(e.ref));
  const results = shown.length
    ? await metrics.getMetricsMany({
        entities: shown,
        windowDays: q.window,
        at: atDate(q.at),
        benchmark: q.benchmark,
      })
    : [];
  let next = 0;
  const items = entities.map((e, i): MetricsBatchItem => {
    const entity = q.entities[i];
    const error = e.kind === 'org' ? undefined : hidden.get(e.ref);
    if (!error) return { entity, result: results[next++] };
    return {
      entity,
      error: { name: error.name, message: error.message, statusCode: 404 },
    };
  });
  return { items };
}
