import { Config } from '@backstage/config';
import { WEBHOOK_ADAPTERS } from './adapters';
import type { WebhookSource } from './adapters/types';
import { DEFAULT_WEBHOOK_RATE_LIMIT } from './rateLimit';

export type { WebhookSource };

const SOURCE_ID = /^[a-z0-9][a-z0-9-_]{0,62}$/;

/** dora.sources from config. A source without a secret is refused at start-up. */
export function readSources(
  config: Config | undefined,
): Map<string, WebhookSource> {
  const sources = new Map<string, WebhookSource>();
  for (const c of config?.getOptionalConfigArray('dora.sources') ?? []) {
    const id = c.getString('id');
    if (!SOURCE_ID.test(id))
      throw new Error(
        `dora.sources[].id: '${id}' must be lower case letters, digits, - and _`,
      );
    if (id === 'api')
      throw new Error(`dora.sources[].id: 'api' is the JSON API's own source`);
    const type = c.getString('type') as WebhookSource['type'];
    if (!WEBHOOK_ADAPTERS.has(type)) {
      const types = [...WEBHOOK_ADAPTERS.keys()];
      throw new Error(
        `dora.sources[${id}].type: must be ${types
          .slice(0, -1)
          .join(', ')} or ${types[types.length - 1]}, not '${type}'`,
      );
    }
    const secret = c.getString('secret');
    if (secret.length < 16)
      throw new Error(
        `dora.sources[${id}].secret: must be at least 16 characters`,
      );
    if (sources.has(id))
      throw new Error(`dora.sources: '${id}' is configured twice`);
    const rateLimit = { ...DEFAULT_WEBHOOK_RATE_LIMIT };
    for (const key of ['requests', 'windowSeconds'] as const) {
      const value = c.getOptionalNumber(`rateLimit.${key}`);
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 1)
        throw new Error(
          `dora.sources[${id}].rateLimit.${key}: must be a whole number of at least 1, not ${value}`,
        );
      rateLimit[key] = value;
    }
    sources.set(id, {
      id,
      type,
      secret,
      incidentLabels: c.getOptionalStringArray('incidentLabels') ?? [
        'incident',
      ],
      rateLimit,
    });
  }
  return sources;
}
