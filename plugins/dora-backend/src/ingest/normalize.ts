import { apiEventSchema, normalizeApi } from './api';
import { normalizeCdevent } from './cdevents';
import { Normalized } from './events';
import { normalizeGithub } from './github';
import { normalizeGitlab } from './gitlab';
import { SourceType } from '@internal/plugin-dora-common';

/** What normalising needs of a stored delivery. */
export interface StoredDelivery {
  sourceType: SourceType;
  eventType: string;
  payload: string;
  receivedAt: number;
}

/**
 * One stored delivery's payload (as received) to normalised events, by its source's type. Every
 * scan of its text is linear in the payload's length (see text.ts); adversarial.test.ts holds this
 * to a time bound at the largest payload accepted.
 */
export function normalizeDelivery(
  d: StoredDelivery,
  options: { incidentLabels: string[] },
): Normalized {
  const body = JSON.parse(d.payload);
  switch (d.sourceType) {
    case 'api': {
      const parsed = apiEventSchema.safeParse(body);
      if (!parsed.success)
        throw new Error(
          `stored JSON API event no longer valid: ${parsed.error.issues[0]?.message}`,
        );
      return normalizeApi(parsed.data);
    }
    case 'github':
      return normalizeGithub(d.eventType, body, d.receivedAt, options);
    case 'gitlab':
      return normalizeGitlab(body, d.receivedAt, options);
    case 'cdevents':
      return normalizeCdevent(body);
    default:
      return { ignored: `source type ${d.sourceType} has no normaliser` };
  }
}
