import { z } from 'zod';

/** The shape of a permission decision (`data.portal.permissions.decision`). */
export const decisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('allow'),
    reasons: z.array(z.string()).default([]),
  }),
  z.object({
    decision: z.literal('deny'),
    reasons: z.array(z.string()).default([]),
  }),
  z.object({
    decision: z.literal('conditional'),
    reasons: z.array(z.string()).default([]),
    plugin_id: z.string().min(1),
    resource_type: z.string().min(1),
    conditions: z.record(z.string(), z.unknown()),
  }),
]);

export type OpaPermissionDecision = z.infer<typeof decisionSchema>;
