import { SourceType } from '@internal/plugin-dora-common';
import type { WebhookSource } from './types';
import { apiAdapter } from './api';
import { cdeventsAdapter } from './cdevents';
import { giteaAdapter } from './gitea';
import { githubAdapter } from './github';
import { gitlabAdapter } from './gitlab';
import { SourceAdapter, WebhookAdapter } from './types';

export type {
  DeliveryToNormalize,
  SourceAdapter,
  WebhookAdapter,
} from './types';

/** The webhook source types (dora.sources[].type) and their adapters. */
export const WEBHOOK_ADAPTERS: ReadonlyMap<
  WebhookSource['type'],
  WebhookAdapter
> = new Map<WebhookSource['type'], WebhookAdapter>([
  ['github', githubAdapter],
  ['gitlab', gitlabAdapter],
  ['gitea', giteaAdapter],
  ['cdevents', cdeventsAdapter],
]);

/** Every source type a stored delivery may have, and its adapter: the webhook types and the JSON API. */
const SOURCE_ADAPTERS: ReadonlyMap<string, SourceAdapter> = new Map<
  SourceType,
  SourceAdapter
>([...WEBHOOK_ADAPTERS, ['api', apiAdapter]]);

/** The adapter of a configured webhook source's type. */
export function webhookAdapter(type: WebhookSource['type']): WebhookAdapter {
  const adapter = WEBHOOK_ADAPTERS.get(type);
  if (!adapter) throw new Error(`no webhook adapter for source type ${type}`);
  return adapter;
}

/** The adapter of a stored delivery's source type, if the plugin knows the type. */
export function sourceAdapter(type: string): SourceAdapter | undefined {
  return SOURCE_ADAPTERS.get(type);
}

/**
 * Checks a delivery's proof (the header its source type names) against the source's secret:
 * undefined when it holds, else the reason (for the 401).
 */
export async function checkSignature(
  source: WebhookSource,
  proof: string | undefined,
  body: string,
): Promise<string | undefined> {
  const adapter = webhookAdapter(source.type);
  if (!proof)
    return `${adapter.signatureHeader}: is missing; deliveries to source ${source.id} must be signed`;
  return adapter.checkSignature(source, proof, body);
}
