import { z } from 'zod';
import { Normalized } from './events';

const ISO =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const time = z
  .union([z.string(), z.number()])
  .refine(
    v =>
      typeof v === 'number'
        ? Number.isInteger(v) && v > 0
        : ISO.test(v) && !Number.isNaN(Date.parse(v)),
    {
      error: 'must be an ISO 8601 time with a zone, or epoch milliseconds',
    },
  );
const toMs = (v: string | number) =>
  typeof v === 'number' ? v : Date.parse(v);
const name = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters');
const sha = z
  .string()
  .regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha');
const componentRef = z
  .string()
  .regex(
    /^component:[a-z0-9-_.]+\/[a-z0-9-_.]+$/i,
    'must be a component entity ref, like component:default/payments-api',
  );
const target = {
  repo: name.optional(),
  service: name.optional(),
  component: componentRef.optional(),
};

/** The plain JSON API for CI systems (POST /events). One event a request. */
export const apiEventSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('deployment'),
        id: name,
        ...target,
        environment: name,
        production: z.boolean().optional(),
        status: z.enum(['success', 'failure', 'pending']),
        sha: sha.optional(),
        ref: name.optional(),
        description: z.string().max(2000).optional(),
        deployedAt: time,
        rollback: z.boolean().optional(),
        incident: name.optional(),
        url: z.url().max(1000).optional(),
      })
      .strict()
      .refine(v => v.repo || v.service || v.component, {
        error: 'must name a repo, a service or a component',
        path: ['repo'],
      }),
    z
      .object({
        type: z.literal('change'),
        repo: name,
        sha,
        committedAt: time,
        landedAt: time.optional(),
        pullRequest: z.number().int().positive().optional(),
        title: z.string().max(2000).optional(),
        service: name.optional(),
        component: componentRef.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('incident'),
        id: name,
        ...target,
        title: z.string().max(2000).optional(),
        startedAt: time,
        resolvedAt: time.nullable().optional(),
        deployment: name.optional(),
        rootCauseSha: sha.optional(),
        url: z.url().max(1000).optional(),
      })
      .strict()
      .refine(v => v.repo || v.service || v.component, {
        error: 'must name a repo, a service or a component',
        path: ['repo'],
      }),
  ],
  { error: 'must be one of deployment, change, incident' },
);

export type ApiEvent = z.infer<typeof apiEventSchema>;

/** An already validated JSON API event as a normalised event. */
export function normalizeApi(body: ApiEvent): Normalized {
  switch (body.type) {
    case 'deployment':
      return {
        events: [
          {
            kind: 'deployment',
            externalId: body.id,
            repo: body.repo,
            service: body.service,
            component: body.component,
            environment: body.environment,
            production: body.production,
            status: body.status,
            sha: body.sha,
            ref: body.ref,
            description: body.description,
            at: toMs(body.deployedAt),
            url: body.url,
            rollback: body.rollback,
            incidentRef: body.incident,
          },
        ],
      };
    case 'change':
      return {
        events: [
          {
            kind: 'change',
            repo: body.repo,
            sha: body.sha,
            committedAt: toMs(body.committedAt),
            landedAt: toMs(body.landedAt ?? body.committedAt),
            pullRequest: body.pullRequest,
            title: body.title,
            service: body.service,
            component: body.component,
          },
        ],
      };
    case 'incident':
      return {
        events: [
          {
            kind: 'incident',
            externalId: body.id,
            repo: body.repo,
            service: body.service,
            component: body.component,
            title: body.title,
            startedAt: toMs(body.startedAt),
            // undefined: the event does not say; null: (re)opened
            resolvedAt:
              body.resolvedAt === undefined || body.resolvedAt === null
                ? body.resolvedAt
                : toMs(body.resolvedAt),
            deploymentRef: body.deployment,
            rootCauseSha: body.rootCauseSha,
            url: body.url,
          },
        ],
      };
    default:
      return { ignored: 'unknown JSON API event type' };
  }
}
