import { SourceType } from '@internal/plugin-dora-common';
import { sourceAdapter } from './adapters';
import { Normalized, SourceOptions } from './events';

/** What normalising needs of a stored delivery. */
export interface StoredDelivery {
  sourceType: SourceType;
  eventType: string;
  payload: string;
  receivedAt: number;
}

/**
 * One stored delivery's payload (as received) to normalised events, by its source type's adapter
 * (adapters/). Every scan of its text is linear in the payload's length (see text.ts);
 * adversarial.*.test.ts hold this to a time bound at the largest payload accepted.
 */
export function normalizeDelivery(
  d: StoredDelivery,
  options: SourceOptions,
): Normalized {
  const body = JSON.parse(d.payload);
  const adapter = sourceAdapter(d.sourceType);
  if (!adapter)
    return { ignored: `source type ${d.sourceType} has no normaliser` };
  return adapter.normalize(
    { eventType: d.eventType, body, receivedAt: d.receivedAt },
    options,
  );
}
