import type { Normalized, SourceOptions } from '../events';
import { SourceType } from '@internal/plugin-dora-common';
import type { RateLimit } from '../rateLimit';

/** A configured webhook source: where deliveries may come from, and the secret that proves it. */
export interface WebhookSource {
  id: string;
  type: Exclude<SourceType, 'api'>;
  /** The key of the source type's proof (adapters/): an HMAC-SHA256 key, or GitLab's X-Gitlab-Token value. */
  secret: string;
  incidentLabels: string[];
  /** Requests per window this source may send (dora.sources[].rateLimit, default DEFAULT_WEBHOOK_RATE_LIMIT). */
  rateLimit?: RateLimit;
}

/** A stored delivery as a normaliser reads it: its payload parsed. */
export interface DeliveryToNormalize {
  eventType: string;
  body: any;
  receivedAt: number;
}

/** What the plugin knows of a source type: how its deliveries are normalised. */
export interface SourceAdapter {
  /** One delivery's payload to normalised events, or the reason it is ignored. */
  normalize(d: DeliveryToNormalize, options: SourceOptions): Normalized;
}

/** A webhook source type: how its deliveries are proven and identified, and normalised. */
export interface WebhookAdapter extends SourceAdapter {
  /** The header the delivery's proof travels in (lower case). */
  signatureHeader: string;
  /** The header that names the event type, when the source sends one. */
  eventHeader?: string;
  /**
   * Checks a proof against the source's secret, in constant time: undefined when it holds, else
   * the reason (for the 401). `body` is the body as received, decoded as UTF-8.
   */
  checkSignature(
    source: WebhookSource,
    proof: string,
    body: string,
  ): Promise<string | undefined>;
  /**
   * The delivery's event type and id, from its headers or its body (a JSON object); throws an
   * InputError naming what is missing.
   */
  identify(
    header: (name: string) => string | undefined,
    body: Record<string, any>,
  ): { eventType: string; deliveryId: string };
}
