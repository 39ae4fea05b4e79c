import { environmentCreatePermission } from '@internal/plugin-environments-common';
import { ActionDeps } from './ActionDeps';
import { environmentSchema, toWire } from './environmentOutput';

/**
 * environments:request-environment — a new sandbox, through the same checks and guardrails as the
 * portal's form: the blueprint, size, TTL and variables; then the policy's quota, cost and approval.
 */
export function registerRequestEnvironmentAction({
  registry,
  access,
  service,
}: ActionDeps) {
  registry.register({
    name: 'request-environment',
    title: 'Request a sandbox environment',
    description:
      'Requests a new sandbox environment from a blueprint (see list-blueprints), owned by one of ' +
      "the user's teams (a group entity ref such as group:default/payments). The platform's " +
      'guardrails decide: the answer is queued (it will be provisioned; poll get-environment until ' +
      'active), pending_approval (the platform team must approve; the reasons say why), or an error ' +
      'naming why it was refused (quota, cost, TTL, blueprint not allowed for the team). Name: lower ' +
      'case words joined by dashes. Creates real infrastructure that costs money until destroyed.',
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            name: z.string().describe('For example my-feature-db'),
            blueprint: z.string().describe('A blueprint name, e.g. workspace'),
            owner: z
              .string()
              .describe('The owning team, e.g. group:default/payments'),
            size: z
              .string()
              .optional()
              .describe("One of the blueprint's sizes"),
            ttlHours: z
              .number()
              .optional()
              .describe("Hours to live; the blueprint's default when left out"),
            variables: z
              .record(z.union([z.string(), z.number(), z.boolean()]))
              .optional()
              .describe("The blueprint's variables"),
          })
          // as POST /environments: a misspelt field is a 400 naming it, not silently left out
          .strict(),
      output: z =>
        z.object({
          environment: environmentSchema(z),
          waitingForApproval: z.boolean(),
          reasons: z.array(z.string()).describe("The guardrails' reasons"),
        }),
    },
    examples: [
      {
        title: 'A workspace for the payments team, for 8 hours',
        input: {
          name: 'payments-spike',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          ttlHours: 8,
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const principal = await access.authorizeCredentials(
        credentials,
        environmentCreatePermission,
      );
      const { environment, reasons } = await service.create(
        { ...principal, via: 'action' },
        input,
      );
      return {
        output: {
          environment: toWire(environment),
          waitingForApproval: environment.state === 'pending_approval',
          reasons,
        },
      };
    },
  });
}
