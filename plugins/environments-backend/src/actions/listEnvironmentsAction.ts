import { InputError } from '@backstage/errors';
import {
  ENVIRONMENT_LIST_SCOPES,
  EnvironmentState,
  isEnvironmentState,
} from '@internal/plugin-environments-common';
import { PAGE_LIMITS } from '../limits';
import { parseKeyset, parseLimit } from '../router/paging';
import { ActionDeps } from './ActionDeps';
import { environmentSchema, toWire } from './environmentOutput';

/** environments:list-environments — the caller's, their teams' or all environments, a page at a time. */
export function registerListEnvironmentsAction({
  registry,
  access,
  queries,
}: ActionDeps) {
  const { max } = PAGE_LIMITS.environments;
  registry.register({
    name: 'list-environments',
    title: 'List sandbox environments',
    description:
      "Lists sandbox environments, newest first: scope 'mine' (requested by the user), 'team' (owned " +
      "by the user's teams, the default) or 'all' (every environment the user may read). Optionally " +
      `only some states. Answers a page of at most ${max}; pass nextCursor back as cursor for the ` +
      'next page. Secret outputs are never included.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            scope: z.enum(ENVIRONMENT_LIST_SCOPES).default('team'),
            states: z
              .array(z.string())
              .optional()
              .describe('Only these states, for example ["active"]'),
            limit: z.number().int().optional(),
            cursor: z.string().optional(),
          })
          // a misspelt filter (state for states) is a 400, not a list of every state
          .strict(),
      output: z =>
        z.object({
          items: z.array(environmentSchema(z)),
          nextCursor: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const principal = await access.whoIs(credentials);
      const bad = input.states?.find(s => !isEnvironmentState(s));
      if (bad !== undefined)
        throw new InputError(`states: '${bad}' is not an environment state`);
      const page = await queries.list(credentials, principal, {
        scope: input.scope,
        states: input.states as EnvironmentState[] | undefined,
        // parseLimit reads a query string's value: a number would be refused as not a plain value
        limit: parseLimit(
          'environments',
          input.limit === undefined ? undefined : String(input.limit),
        ),
        cursor: parseKeyset(input.cursor),
      });
      return {
        output: { items: page.items.map(toWire), nextCursor: page.nextCursor },
      };
    },
  });
}
