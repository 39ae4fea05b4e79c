import { ActionDeps } from './ActionDeps';

/** environments:list-blueprints — what can be requested, with sizes, costs and TTL limits. */
export function registerListBlueprintsAction({
  registry,
  access,
  blueprints,
}: ActionDeps) {
  registry.register({
    name: 'list-blueprints',
    title: 'List sandbox blueprints',
    description:
      'Lists the blueprints of sandbox environments that can be requested in the portal: for each, ' +
      'its sizes with their estimated cost per hour, its default and maximum time to live in hours, and ' +
      'the variables it takes (with allowed values). Use a blueprint name, a size and a TTL from here ' +
      'when calling request-environment.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          blueprints: z.array(
            z.object({
              name: z.string(),
              title: z.string().optional(),
              description: z.string().optional(),
              defaultSize: z.string().optional(),
              sizes: z.record(
                z.object({
                  costPerHour: z.number(),
                  description: z.string().optional(),
                }),
              ),
              ttl: z.object({ defaultHours: z.number(), maxHours: z.number() }),
              variables: z.array(
                z.object({
                  name: z.string(),
                  type: z.string().optional(),
                  description: z.string().optional(),
                  allowed: z.array(z.unknown()).optional(),
                  default: z.unknown().optional(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      await access.whoIs(credentials);
      const offered = blueprints
        .list()
        .map(b => b.blueprint)
        .filter(b => b.spec.applyable)
        // in code unit order, as GET /blueprints lists them
        .sort((a, b) => {
          if (a.metadata.name === b.metadata.name) return 0;
          return a.metadata.name < b.metadata.name ? -1 : 1;
        });
      return {
        output: {
          blueprints: offered.map(({ metadata, spec }) => ({
            name: metadata.name,
            title: metadata.title,
            description: metadata.description,
            defaultSize: spec.defaultSize,
            sizes: Object.fromEntries(
              Object.entries(spec.sizes).map(([size, s]) => [
                size,
                { costPerHour: s.costPerHour, description: s.description },
              ]),
            ),
            ttl: {
              defaultHours: spec.ttl.defaultHours,
              maxHours: spec.ttl.maxHours,
            },
            variables: (spec.variables ?? []).map(v => ({
              name: v.name,
              type: v.type,
              description: v.description,
              allowed: v.allowed,
              default: v.default,
            })),
          })),
        },
      };
    },
  });
}
