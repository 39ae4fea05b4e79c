import type { z as zod3 } from 'zod/v3';
import { EnvironmentRecord } from '../store/types';

/**
 * An environment as an action answers it: the REST API's fields (dates as ISO strings), never a
 * secret output (those are read through the portal's Reveal, or GET …/secrets).
 */
export const environmentSchema = (z: typeof zod3) =>
  z.object({
    id: z.string().describe('The environment id (a UUID)'),
    name: z.string(),
    blueprint: z.string().describe('The blueprint it was made from'),
    owner: z.string().describe('The owning team, a group entity ref'),
    requestedBy: z.string().describe('Who requested it, a user entity ref'),
    size: z.string(),
    state: z
      .string()
      .describe(
        'requested, pending_approval, queued, provisioning, active, updating, destroying, destroyed, rejected, failed or quarantined',
      ),
    costPerHour: z.number().describe('Estimated cost per hour, in dollars'),
    ttlHours: z.number().describe('How long it lives from its creation'),
    expiresAt: z
      .string()
      .optional()
      .describe('When it will be destroyed (set once active)'),
    drift: z.boolean().describe('Its resources changed outside the portal'),
    outputs: z
      .record(z.unknown())
      .optional()
      .describe("The module's outputs that are not secret"),
    variables: z.record(z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  });

/** The record with its dates as ISO strings, as JSON would carry it. */
export function toWire(env: EnvironmentRecord) {
  return {
    id: env.id,
    name: env.name,
    blueprint: env.blueprint,
    owner: env.owner,
    requestedBy: env.requestedBy,
    size: env.size,
    state: env.state,
    costPerHour: env.costPerHour,
    ttlHours: env.ttlHours,
    expiresAt: env.expiresAt?.toISOString(),
    drift: env.drift,
    outputs: env.outputs,
    variables: env.variables,
    createdAt: env.createdAt.toISOString(),
    updatedAt: env.updatedAt.toISOString(),
  };
}
