import { z } from 'zod';

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LEVELS = ['elite', 'high', 'medium', 'low'] as const;
const METRICS = [
  'deploymentFrequency',
  'changeLeadTime',
  'changeFailureRate',
  'failedDeploymentRecoveryTime',
  'deploymentReworkRate',
  'all',
] as const;

const common = {
  id: z.string().regex(NAME, 'must be lower case words joined by dashes'),
  title: z.string().min(1, 'must not be empty'),
  weight: z
    .number()
    .positive('must be more than 0')
    .max(100, 'must be at most 100')
    .default(1),
};

/** The kinds of check a scorecard may use; each one's own settings. */
export const checkSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('has-owner') }).strict(),
  z
    .object({
      ...common,
      type: z.literal('has-annotation'),
      annotation: z.string().min(1, 'must name an annotation'),
    })
    .strict(),
  z.object({ ...common, type: z.literal('created-from-template') }).strict(),
  z
    .object({
      ...common,
      type: z.literal('dora-level'),
      metric: z.enum(METRICS, {
        message: `must be one of ${METRICS.join(', ')}`,
      }),
      atLeast: z.enum(LEVELS, {
        message: `must be one of ${LEVELS.join(', ')}`,
      }),
      windowDays: z
        .union([z.literal(7), z.literal(30), z.literal(90)], {
          message: 'must be 7, 30 or 90',
        })
        .default(30),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('no-stale-sandboxes'),
      expiredForDays: z.number().int().min(0, 'must be 0 or more').default(7),
    })
    .strict(),
]);

export type ScorecardCheck = z.infer<typeof checkSchema>;

/** scorecards/<name>.yaml */
export const scorecardSchema = z
  .object({
    apiVersion: z.literal('portal.acme.example/v1', {
      message: 'must be portal.acme.example/v1',
    }),
    kind: z.literal('Scorecard', { message: 'must be Scorecard' }),
    metadata: z.object({
      name: z.string().regex(NAME, 'must be lower case words joined by dashes'),
      title: z.string().min(1, 'must not be empty'),
      description: z.string().optional(),
    }),
    spec: z.object({
      appliesTo: z.object({
        kinds: z.array(z.string().min(1)).min(1, 'must name at least one kind'),
        types: z.array(z.string().min(1)).optional(),
      }),
      /** The lowest score (0-100) of each level. */
      levels: z
        .object({
          gold: z.number().min(0).max(100),
          silver: z.number().min(0).max(100),
          bronze: z.number().min(0).max(100),
        })
        .refine(
          l => l.gold >= l.silver && l.silver >= l.bronze,
          'must be gold >= silver >= bronze',
        ),
      checks: z
        .array(checkSchema)
        .min(1, 'must have at least one check')
        .refine(
          cs => new Set(cs.map(c => c.id)).size === cs.length,
          'check ids must be unique',
        ),
    }),
  })
  .strict();

export type Scorecard = z.infer<typeof scorecardSchema>;

/** scorecards/exemptions.yaml: approved in git review; `approvedBy` is who approved. */
export const exemptionsSchema = z
  .object({
    apiVersion: z.literal('portal.acme.example/v1', {
      message: 'must be portal.acme.example/v1',
    }),
    kind: z.literal('ScorecardExemptions', {
      message: 'must be ScorecardExemptions',
    }),
    exemptions: z.array(
      z
        .object({
          entity: z
            .string()
            .regex(
              /^[a-z]+:[a-z0-9-]+\/[a-z0-9._-]+$/i,
              'must be an entity ref, like component:default/orders',
            ),
          scorecard: z.string().regex(NAME, 'must be a scorecard name'),
          check: z.string().regex(NAME, 'must be a check id'),
          reason: z.string().min(10, 'must say why, in at least 10 characters'),
          approvedBy: z
            .string()
            .regex(
              /^(user|group):[a-z0-9-]+\/[a-z0-9._-]+$/i,
              'must be a user or group entity ref',
            ),
          expires: z.coerce.date({
            message: 'must be a date, like 2027-03-31',
          }),
        })
        .strict(),
    ),
  })
  .strict();

export type Exemption = z.infer<typeof exemptionsSchema>['exemptions'][number];
