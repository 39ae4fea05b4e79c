/*
 * The source type registry: every source type has an adapter; each webhook adapter checks its
 * proof under its own header and reads the event type and delivery id, naming what is missing.
 */
import { SourceType } from '@internal/plugin-dora-common';
import { createHmac } from 'node:crypto';
import { WebhookSource } from '../sources';
import {
  checkSignature,
  sourceAdapter,
  WEBHOOK_ADAPTERS,
  webhookAdapter,
} from '.';

/** Every source type (a type missing here is a compile error). */
const SOURCE_TYPES = Object.keys({
  github: true,
  gitlab: true,
  gitea: true,
  cdevents: true,
  api: true,
} satisfies Record<SourceType, true>) as SourceType[];
const SECRET = 'adapter-test-secret-0123';
const source = (type: WebhookSource['type']): WebhookSource => ({
  id: `${type}-src`,
  type,
  secret: SECRET,
  incidentLabels: ['incident'],
});
const hmac = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const headers =
  (h: Record<string, string>) =>
  (name: string): string | undefined =>
    h[name];

describe('source type adapters', () => {
  it('has an adapter for every source type, and a webhook adapter for every type but the JSON API', () => {
    for (const type of SOURCE_TYPES) expect(sourceAdapter(type)).toBeDefined();
    expect([...WEBHOOK_ADAPTERS.keys()]).toEqual(
      SOURCE_TYPES.filter(t => t !== 'api'),
    );
    expect(sourceAdapter('svn')).toBeUndefined();
    expect(sourceAdapter('constructor')).toBeUndefined();
  });

  it('checks each type’s proof under its own header, naming the header', async () => {
    const body = '{"a":1}';
    expect(webhookAdapter('github').signatureHeader).toBe(
      'x-hub-signature-256',
    );
    expect(await checkSignature(source('github'), hmac(body), body)).toBe(
      undefined,
    );
    expect(
      await checkSignature(
        source('github'),
        hmac(body, 'another-secret'),
        body,
      ),
    ).toBe(
      "x-hub-signature-256: does not match the body signed with source github-src's secret",
    );
    expect(await checkSignature(source('cdevents'), 'sha256=zz', body)).toBe(
      'x-cdevents-signature-256: must be sha256=<64 hex digits>',
    );
    expect(await checkSignature(source('cdevents'), hmac(body), body)).toBe(
      undefined,
    );
    expect(await checkSignature(source('gitlab'), SECRET, body)).toBe(
      undefined,
    );
    expect(await checkSignature(source('gitlab'), `${SECRET}x`, body)).toBe(
      "x-gitlab-token: does not match source gitlab-src's secret token",
    );
    expect(await checkSignature(source('gitlab'), undefined, body)).toBe(
      'x-gitlab-token: is missing; deliveries to source gitlab-src must be signed',
    );
    // Gitea: the bare hex digest in X-Gitea-Signature (the sha256= form is X-Hub-Signature-256's)
    const hex = hmac(body).slice('sha256='.length);
    expect(webhookAdapter('gitea').signatureHeader).toBe('x-gitea-signature');
    expect(await checkSignature(source('gitea'), hex, body)).toBe(undefined);
    expect(await checkSignature(source('gitea'), hmac(body), body)).toBe(
      'x-gitea-signature: must be <64 hex digits>',
    );
    expect(
      await checkSignature(
        source('gitea'),
        hmac(body, 'another-secret').slice(7),
        body,
      ),
    ).toBe(
      "x-gitea-signature: does not match the body signed with source gitea-src's secret",
    );
    expect(await checkSignature(source('gitea'), hex.toUpperCase(), body)).toBe(
      'x-gitea-signature: must be <64 hex digits>',
    );
  });

  it('reads the event type and delivery id from headers or body, naming what is missing', () => {
    expect(
      webhookAdapter('github').identify(
        headers({ 'x-github-event': 'push', 'x-github-delivery': 'd-1' }),
        {},
      ),
    ).toEqual({ eventType: 'push', deliveryId: 'd-1' });
    expect(() =>
      webhookAdapter('github').identify(
        headers({ 'x-github-delivery': 'd-1' }),
        {},
      ),
    ).toThrow('X-GitHub-Event: is missing');
    // GitLab: the event from object_kind, the id from Idempotency-Key, when the headers are missing
    expect(
      webhookAdapter('gitlab').identify(headers({ 'idempotency-key': 'k-1' }), {
        object_kind: 'push',
      }),
    ).toEqual({ eventType: 'push', deliveryId: 'k-1' });
    expect(() =>
      webhookAdapter('gitlab').identify(headers({}), { object_kind: 'push' }),
    ).toThrow('X-Gitlab-Event-UUID: is missing');
    expect(
      webhookAdapter('gitea').identify(
        headers({
          'x-gitea-event': 'release',
          'x-gitea-delivery': '0b8cb1d6-6f7e-4d3c-9a55-2d2f1b0f6e11',
          'x-github-event': 'push',
        }),
        {},
      ),
    ).toEqual({
      eventType: 'release',
      deliveryId: '0b8cb1d6-6f7e-4d3c-9a55-2d2f1b0f6e11',
    });
    expect(() =>
      webhookAdapter('gitea').identify(
        headers({ 'x-gitea-event': 'push' }),
        {},
      ),
    ).toThrow('X-Gitea-Delivery: is missing');
    expect(
      webhookAdapter('cdevents').identify(headers({}), {
        context: { type: 'dev.cdevents.change.merged.0.2.0', id: 'c-1' },
      }),
    ).toEqual({
      eventType: 'dev.cdevents.change.merged.0.2.0',
      deliveryId: 'c-1',
    });
    expect(() =>
      webhookAdapter('cdevents').identify(headers({}), {
        context: { type: 'dev.cdevents.change.merged.0.2.0', id: 7 },
      }),
    ).toThrow('context.id: is required in a CDEvent');
  });

  it('normalises through the type’s normaliser', () => {
    const cdevent = {
      context: {
        id: 'c-1',
        type: 'dev.cdevents.incident.detected.0.2.0',
        timestamp: '2026-03-01T10:00:00Z',
      },
      subject: { id: 'inc-1', content: { service: { id: 'payments-api' } } },
    };
    expect(
      sourceAdapter('cdevents')!.normalize(
        { eventType: 'x', body: cdevent, receivedAt: 0 },
        { incidentLabels: [] },
      ),
    ).toEqual({
      events: [
        expect.objectContaining({
          kind: 'incident',
          externalId: 'inc-1',
          service: 'payments-api',
        }),
      ],
    });
    expect(() =>
      sourceAdapter('api')!.normalize(
        {
          eventType: 'deployment',
          body: { type: 'deployment' },
          receivedAt: 0,
        },
        { incidentLabels: [] },
      ),
    ).toThrow(/^stored JSON API event no longer valid: /);
  });
});
