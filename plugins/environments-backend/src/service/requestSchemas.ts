import {
  ABSURD_TTL_HOURS,
  ENVIRONMENT_NAME_MAX_LENGTH,
  NAME_PATTERN,
} from '@internal/plugin-environments-common';
import { z } from 'zod';

/*
 * The bodies a person sends to the environment service, as zod schemas: strict (an unknown field
 * is a 400 naming it), each rule with the message the 400 gives after the field's name.
 */

const hours = () =>
  z
    .number()
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1')
    .max(ABSURD_TTL_HOURS, `must be at most ${ABSURD_TTL_HOURS}`);

/** POST /environments: a request for a new environment. */
export const createRequestSchema = z
  .object({
    name: z
      .string()
      .regex(NAME_PATTERN, 'must be lower case words joined by dashes')
      .max(
        ENVIRONMENT_NAME_MAX_LENGTH,
        `must be at most ${ENVIRONMENT_NAME_MAX_LENGTH} characters`,
      ),
    blueprint: z.string().regex(NAME_PATTERN, 'must be a blueprint name'),
    owner: z
      .string()
      .regex(
        /^group:[a-z0-9-]+\/[a-z0-9-]+$/,
        'must be a group entity ref, like group:default/payments',
      ),
    size: z.string().regex(NAME_PATTERN, 'must be a size name').optional(),
    ttlHours: hours().optional(),
    variables: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type CreateRequest = z.infer<typeof createRequestSchema>;

/** POST /environments/:id/extend: how many hours more. */
export const extendRequestSchema = z.object({ hours: hours() }).strict();
