import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  doraDeliveriesReadPermission,
  doraDeliveriesRetryPermission,
  doraMetricsReadPermission,
  METRIC_NAMES,
  MetricName,
} from '@internal/plugin-dora-common';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { apiEventSchema } from './ingest/api';
import { DeliveryProcessor } from './ingest/DeliveryProcessor';
import { checkSignature, SIGNATURE_HEADERS } from './ingest/signatures';
import { clip } from './ingest/text';
import {
  DEFAULT_WEBHOOK_RATE_LIMIT,
  SourceRateLimiter,
} from './ingest/rateLimit';
import { WebhookSource } from './ingest/sources';
import { MAX_ID_LENGTH } from './limits';
import { pageOf, pageOfList, pageQuery } from './paging';
import { DoraMetricsService, parseEntity } from './metrics/DoraMetricsService';
import { PlatformMetrics } from './platform/PlatformMetrics';
import { ScorecardDefinitions } from './scorecards/ScorecardDefinitions';
import { ScorecardService } from './scorecards/ScorecardService';
import { DoraStore } from './store/DoraStore';

/** The first problem of a zod parse, as "field: rule". */
export function inputError(error: z.ZodError): InputError {
  const issue = error.issues[0];
  return new InputError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
}

/** An error with the HTTP status and message a client is given (the Backstage error body shape). */
class HttpError extends Error {
  constructor(readonly status: number, name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * The answer to a stored delivery: 202, or 200 for a duplicate, with the delivery's ids. Written
 * directly, because Express's res.json would also hash the answer for an ETag, which the answer to
 * a POST has no use for, on the hottest path of the plugin.
 */
function answerDelivery(
  res: Response,
  stored: { id: number; duplicate: boolean },
  deliveryId: string,
) {
  res
    .writeHead(stored.duplicate ? 200 : 202, {
      'Content-Type': 'application/json; charset=utf-8',
    })
    .end(
      JSON.stringify({
        delivery: { id: stored.id, deliveryId, duplicate: stored.duplicate },
      }),
    );
}

/** Decodes UTF-8, and refuses bytes that are not (instead of replacing them). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const header = (req: Request, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const windowQuery = z.object({
  window: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(366, 'must be at most 366')
    .default(30),
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time with a zone' })
    .optional(),
});

const metricsQuery = windowQuery.extend({
  entity: z
    .string({ error: 'is required: org, a component ref or a group ref' })
    .max(255),
  benchmark: z.string().max(63).optional(),
});

const drillDownQuery = metricsQuery.extend(pageQuery.shape).extend({
  metric: z.enum(METRIC_NAMES as [MetricName, ...MetricName[]], {
    error: `must be one of ${METRIC_NAMES.join(', ')}`,
  }),
  period: z.enum(['current', 'previous']).default('current'),
});

const deliveriesQuery = pageQuery.extend({
  status: z
    .enum(['pending', 'processing', 'processed', 'ignored', 'failed'], {
      error: 'must be one of pending, processing, processed, ignored, failed',
    })
    .optional(),
  source: z
    .string({ error: 'must be a source id' })
    .max(100, 'must be at most 100 characters')
    .optional(),
});

const templateRunSchema = z
  .object({
    taskId: z.string().min(1).max(255),
    templateRef: z
      .string()
      .regex(
        /^template:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i,
        'must be a template entity ref',
      ),
    createdBy: z.string().max(255).optional(),
    teamRef: z
      .string()
      .regex(
        /^group:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i,
        'must be a group entity ref',
      )
      .optional(),
    status: z.enum(['open', 'processing', 'completed', 'failed', 'cancelled']),
    componentRef: z
      .string()
      .regex(
        /^component:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i,
        'must be a component entity ref',
      )
      .optional(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();

/**
 * The dora API, under /api/dora. Webhooks (/webhooks/:source) are reachable without Backstage
 * credentials and are proven by the source's signature instead; everything else takes Backstage
 * credentials, and identity only ever comes from them.
 */
export async function createRouter(options: {
  store: DoraStore;
  processor: DeliveryProcessor;
  metrics: DoraMetricsService;
  platform: PlatformMetrics;
  sources: Map<string, WebhookSource>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor?: AuditorService;
  /** Scorecards: their definitions from git and the evaluated results. */
  scorecards?: { service: ScorecardService; definitions: ScorecardDefinitions };
  /** The largest body accepted, in bytes. */
  maxPayloadBytes: number;
  /** Counts webhook requests per source (default: a new one, on the real clock). */
  rateLimiter?: SourceRateLimiter;
  /** Kick the normaliser right after a new delivery is stored (default true); else only the schedule works the queue. */
  processImmediately?: boolean;
  now?: () => number;
}): Promise<express.Router> {
  const {
    store,
    processor,
    metrics,
    platform,
    sources,
    httpAuth,
    permissions,
    catalog,
    auditor,
    maxPayloadBytes,
  } = options;
  const now = () => options.now?.() ?? Date.now();
  const processImmediately = options.processImmediately ?? true;
  const router = Router();

  type Credentials = BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >;
  const authorize = async (
    req: Request,
    permission: BasicPermission,
  ): Promise<Credentials> => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW)
      throw new NotAllowedError(`${permission.name} is not allowed`);
    return credentials;
  };

  /** A user only gets numbers about entities the catalog lets them see. */
  const visible = async (credentials: Credentials, entity: string) => {
    if (entity === 'org' || credentials.principal.type !== 'user') return;
    if (!(await catalog.getEntityByRef(entity, { credentials }))) {
      throw new NotFoundError(
        `entity: ${entity} is not in the catalog, or you may not see it`,
      );
    }
  };

  const audit = async (
    eventId: string,
    req: Request,
    meta: { [key: string]: string | number | boolean | undefined },
    severityLevel: 'low' | 'medium' = 'low',
  ) => {
    if (!auditor) return;
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    await event.success();
  };

  // ---------------------------------------------------------------------------------------------
  // Webhooks: raw body (the signature is over the bytes), checked before anything is parsed.

  const limiter = options.rateLimiter ?? new SourceRateLimiter();
  /** Each source's requests are counted before their body is read; over its limit, a 429 with Retry-After. */
  const rateLimited = (req: Request, res: Response, next: NextFunction) => {
    const source = sources.get(req.params.source);
    if (!source) {
      next(
        new NotFoundError(
          `source: no webhook source named '${clip(
            req.params.source,
          )}' is configured under dora.sources`,
        ),
      );
      return;
    }
    const limit = source.rateLimit ?? DEFAULT_WEBHOOK_RATE_LIMIT;
    const refused = limiter.take(source.id, limit);
    if (!refused) {
      next();
      return;
    }
    res.setHeader('Retry-After', String(refused.retryAfterSeconds));
    next(
      new HttpError(
        429,
        'TooManyRequestsError',
        `source: ${source.id} may send at most ${limit.requests} requests in ${limit.windowSeconds} s (dora.sources[].rateLimit); retry after ${refused.retryAfterSeconds} s`,
      ),
    );
  };

  router.post(
    '/webhooks/:source',
    rateLimited,
    express.raw({ type: () => true, limit: maxPayloadBytes }),
    async (req, res) => {
      const source = sources.get(req.params.source)!;
      // decoded once: the signature, the JSON and the stored payload all use this text; bytes that are
      // not UTF-8 would be changed by decoding (and then fail the signature for the wrong reason)
      let text = '';
      try {
        text = Buffer.isBuffer(req.body) ? utf8.decode(req.body) : '';
      } catch {
        throw new InputError('body: must be UTF-8 text (JSON)');
      }
      const problem = await checkSignature(
        source,
        header(req, SIGNATURE_HEADERS[source.type]),
        text,
      );
      if (problem) throw new HttpError(401, 'AuthenticationError', problem);
      let body: any;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new InputError(
          `body: must be valid JSON (${(e as Error).message})`,
        );
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new InputError('body: must be a JSON object');

      let eventType: string | undefined;
      let deliveryId: string | undefined;
      const kept: Record<string, string> = {};
      if (source.type === 'github') {
        eventType = header(req, 'x-github-event');
        deliveryId = header(req, 'x-github-delivery');
        if (!eventType) throw new InputError('X-GitHub-Event: is missing');
        if (!deliveryId) throw new InputError('X-GitHub-Delivery: is missing');
      } else if (source.type === 'gitlab') {
        eventType = header(req, 'x-gitlab-event') ?? body.object_kind;
        deliveryId =
          header(req, 'x-gitlab-event-uuid') ?? header(req, 'idempotency-key');
        if (!eventType) throw new InputError('X-Gitlab-Event: is missing');
        if (!deliveryId)
          throw new InputError('X-Gitlab-Event-UUID: is missing');
      } else {
        eventType =
          typeof body.context?.type === 'string'
            ? body.context.type
            : undefined;
        deliveryId =
          typeof body.context?.id === 'string' ? body.context.id : undefined;
        if (!eventType)
          throw new InputError('context.type: is required in a CDEvent');
        if (!deliveryId)
          throw new InputError('context.id: is required in a CDEvent');
      }
      if (deliveryId.length > MAX_ID_LENGTH)
        throw new InputError(
          `delivery id: must be at most ${MAX_ID_LENGTH} characters`,
        );
      if (eventType.length > MAX_ID_LENGTH)
        throw new InputError(
          `event type: must be at most ${MAX_ID_LENGTH} characters`,
        );

      const stored = await store.deliveries.insert({
        source: source.id,
        sourceType: source.type,
        deliveryId,
        eventType,
        payload: text,
        headers: Object.keys(kept).length ? kept : undefined,
        receivedAt: now(),
      });
      if (!stored.duplicate && processImmediately) processor.kick();
      // Not audited one by one: webhook deliveries have no Backstage actor, and the stored raw
      // delivery (source, id, time, body, status) is their record.
      answerDelivery(res, stored, deliveryId);
    },
  );

  // ---------------------------------------------------------------------------------------------
  // The JSON API for CI systems: service credentials (a static external access token); the sender
  // recorded is the principal of those credentials.

  router.post(
    '/events',
    express.json({ limit: maxPayloadBytes, strict: false }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      const parsed = apiEventSchema.safeParse(req.body);
      if (!parsed.success) throw inputError(parsed.error);
      const payload = JSON.stringify(parsed.data);
      const deliveryId =
        header(req, 'idempotency-key') ??
        createHash('sha256').update(payload).digest('hex');
      if (deliveryId.length > MAX_ID_LENGTH)
        throw new InputError(
          `Idempotency-Key: must be at most ${MAX_ID_LENGTH} characters`,
        );
      const sender =
        (credentials.principal as { subject?: string }).subject ?? 'service';
      const stored = await store.deliveries.insert({
        source: 'api',
        sourceType: 'api',
        deliveryId,
        eventType: parsed.data.type,
        payload,
        sender,
        receivedAt: now(),
      });
      if (!stored.duplicate && processImmediately) processor.kick();
      await audit('dora-delivery-received', req, {
        source: 'api',
        sender,
        deliveryId,
        eventType: parsed.data.type,
        delivery: stored.id,
        duplicate: stored.duplicate,
      });
      answerDelivery(res, stored, deliveryId);
    },
  );

  router.get('/deliveries', async (req, res) => {
    await authorize(req, doraDeliveriesReadPermission);
    const q = deliveriesQuery.safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    const rows = await store.deliveries.list({
      ...q.data,
      limit: q.data.limit + 1,
    });
    res.json({
      ...pageOf(rows, q.data),
      counts: await store.deliveries.count(),
    });
  });

  router.get('/deliveries/:id', async (req, res) => {
    await authorize(req, doraDeliveriesReadPermission);
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1)
      throw new InputError('id: must be a delivery id (a whole number from 1)');
    res.json({ delivery: await store.deliveries.get(id) });
  });

  router.post('/deliveries/:id/retry', async (req, res) => {
    await authorize(req, doraDeliveriesRetryPermission);
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1)
      throw new InputError('id: must be a delivery id (a whole number from 1)');
    await store.deliveries.requeue(id);
    processor.kick();
    await audit('dora-delivery-retried', req, { delivery: id }, 'medium');
    res
      .status(202)
      .json({
        delivery: await store.deliveries.get(id).then(({ payload, ...d }) => d),
      });
  });

  // ---------------------------------------------------------------------------------------------
  // Metrics

  router.get('/benchmarks', async (req, res) => {
    await authorize(req, doraMetricsReadPermission);
    const q = pageQuery.safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    res.json({
      default: metrics.defaultBenchmarkName,
      ...pageOfList(metrics.listBenchmarks(), q.data),
    });
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await authorize(req, doraMetricsReadPermission);
    const q = metricsQuery.safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    const entity = parseEntity(q.data.entity);
    if (entity.kind !== 'org') await visible(credentials, entity.ref);
    res.json(
      await metrics.getMetrics({
        entity,
        windowDays: q.data.window,
        at: q.data.at ? new Date(q.data.at) : undefined,
        benchmark: q.data.benchmark,
      }),
    );
  });

  router.get('/metrics/drilldown', async (req, res) => {
    const credentials = await authorize(req, doraMetricsReadPermission);
    const q = drillDownQuery.safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    const entity = parseEntity(q.data.entity);
    if (entity.kind !== 'org') await visible(credentials, entity.ref);
    res.json(
      await metrics.getDrillDown({
        entity,
        windowDays: q.data.window,
        at: q.data.at ? new Date(q.data.at) : undefined,
        metric: q.data.metric,
        period: q.data.period,
        page: { limit: q.data.limit, offset: q.data.offset },
      }),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // Scorecards

  const entityRefParam = z
    .string({
      error: 'is required: an entity ref, like component:default/payments-api',
    })
    .regex(
      /^[a-z]+:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i,
      'must be an entity ref, like component:default/payments-api',
    );

  router.get('/scorecards/definitions', async (req, res) => {
    await authorize(req, doraMetricsReadPermission);
    if (!options.scorecards)
      throw new NotFoundError('scorecards are not configured');
    const { definitions } = options.scorecards;
    const q = pageQuery.safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    res.json({
      ...pageOfList(
        definitions.list().map(c => ({ ...c.metadata, ...c.spec })),
        q.data,
      ),
      exemptions: definitions
        .exemptions()
        .map(x => ({ ...x, expires: x.expires.toISOString().slice(0, 10) })),
      errors: definitions.errors(),
    });
  });

  router.get('/scorecards/entity', async (req, res) => {
    const credentials = await authorize(req, doraMetricsReadPermission);
    if (!options.scorecards)
      throw new NotFoundError('scorecards are not configured');
    const q = z.object({ entityRef: entityRefParam }).safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    await visible(credentials, q.data.entityRef);
    res.json(await options.scorecards.service.entity(q.data.entityRef));
  });

  router.get('/scorecards/teams', async (req, res) => {
    await authorize(req, doraMetricsReadPermission);
    if (!options.scorecards)
      throw new NotFoundError('scorecards are not configured');
    const q = pageQuery
      .extend({
        teamRef: z
          .string({ error: 'must be a group entity ref' })
          .regex(
            /^group:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i,
            'must be a group entity ref',
          )
          .optional(),
      })
      .safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    // the rollups are aggregated from the latest result of each entity, then paged
    const { items } = await options.scorecards.service.teams(q.data.teamRef);
    res.json(pageOfList(items, q.data));
  });

  // ---------------------------------------------------------------------------------------------
  // Platform metrics

  const teamFilter = z
    .string()
    .regex(/^group:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i, 'must be a group entity ref')
    .optional();

  router.get('/platform/template-adoption', async (req, res) => {
    await authorize(req, doraMetricsReadPermission);
    const q = windowQuery
      .extend({ team: teamFilter })
      .extend(pageQuery.shape)
      .safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    const page = { limit: q.data.limit + 1, offset: q.data.offset };
    res.json(
      pageOf(
        await platform.templateAdoption({
          windowDays: q.data.window,
          at: q.data.at ? new Date(q.data.at) : undefined,
          teamRef: q.data.team,
          page,
        }),
        q.data,
      ),
    );
  });

  router.get('/platform/time-to-first-deploy', async (req, res) => {
    await authorize(req, doraMetricsReadPermission);
    const q = windowQuery
      .extend({ team: teamFilter })
      .extend(pageQuery.shape)
      .safeParse(req.query);
    if (!q.success) throw inputError(q.error);
    const page = { limit: q.data.limit + 1, offset: q.data.offset };
    res.json(
      pageOf(
        await platform.timeToFirstDeploy({
          windowDays: q.data.window,
          at: q.data.at ? new Date(q.data.at) : undefined,
          teamRef: q.data.team,
          page,
        }),
        q.data,
      ),
    );
  });

  router.post(
    '/template-runs',
    express.json({ limit: maxPayloadBytes }),
    async (req, res) => {
      await httpAuth.credentials(req, { allow: ['service'] });
      const parsed = templateRunSchema.safeParse(req.body);
      if (!parsed.success) throw inputError(parsed.error);
      const r = parsed.data;
      await platform.recordRuns(
        [
          {
            ...r,
            templateRef: r.templateRef.toLowerCase(),
            createdAt: Date.parse(r.createdAt),
          },
        ],
        now(),
      );
      await audit('dora-template-run-recorded', req, {
        taskId: r.taskId,
        templateRef: r.templateRef,
      });
      res.status(201).json({ taskId: r.taskId });
    },
  );

  // Body parser errors and this router's own HTTP errors, as Backstage error bodies with a clear message.
  router.use((err: any, req: Request, res: Response, next: NextFunction) => {
    let status: number | undefined;
    let name = 'InputError';
    let message: string | undefined;
    if (err instanceof HttpError) {
      status = err.status;
      name = err.name;
      message = err.message;
    } else if (err?.type === 'entity.too.large') {
      status = 413;
      name = 'PayloadTooLargeError';
      message = `body: must be at most ${maxPayloadBytes} bytes (dora.maxPayloadBytes); this one is ${
        err.length ?? 'larger'
      }`;
    } else if (err?.type === 'entity.parse.failed') {
      status = 400;
      message = `body: must be valid JSON (${err.message})`;
    } else if (
      err?.type === 'encoding.unsupported' ||
      err?.type === 'charset.unsupported'
    ) {
      status = 415;
      name = 'UnsupportedMediaTypeError';
      message = `body: ${err.message}`;
    } else if (typeof err?.code === 'string' && err.code.startsWith('Z_')) {
      // the body parser's inflate (gzip, deflate, br) failed on the bytes sent
      status = 400;
      message = `Content-Encoding: the body is not valid ${clip(
        header(req, 'content-encoding'),
      )} data (${err.code})`;
    } else if (
      typeof err?.type === 'string' &&
      typeof err?.status === 'number' &&
      err.status >= 400 &&
      err.status < 500
    ) {
      // any other refusal of the body parser (aborted, a wrong length...)
      status = err.status;
      message = `body: ${err.message}`;
    }
    if (!status) {
      next(err);
      return;
    }
    res
      .status(status)
      .json({
        error: { name, message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: status },
      });
  });

  return router;
}
