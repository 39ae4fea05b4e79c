import { z } from 'zod';

/** Lower-case words joined by dashes: safe in paths, database names and URLs. */
export const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** OpenTofu variable and output names. */
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;
/** Named bundles of environment variables a blueprint's module may ask the runner for. */
export const RUNNER_ENV_BUNDLES = ['postgres-admin'] as const;

const variableSchema = z
  .object({
    name: z
      .string()
      .regex(
        IDENTIFIER,
        'must be lower case letters, digits and _ (an OpenTofu identifier)',
      ),
    type: z.enum(['string', 'number', 'bool']),
    description: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    allowed: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    pattern: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();

const sizeSchema = z
  .object({
    costPerHour: z.number().nonnegative(),
    description: z.string().optional(),
    /** Module variables this size sets. */
    variables: z
      .record(
        z.string().regex(IDENTIFIER),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .default({}),
  })
  .strict();

/** `templates/environments/<name>/blueprint.yaml`, as the platform team writes it. */
export const blueprintSchema = z
  .object({
    apiVersion: z.literal('portal.acme.example/v1'),
    kind: z.literal('Blueprint'),
    metadata: z
      .object({
        name: z
          .string()
          .regex(NAME_PATTERN, 'must be lower case words joined by dashes'),
        title: z.string().min(1),
        description: z.string().min(1),
      })
      .strict(),
    spec: z
      .object({
        owner: z.string().min(1),
        /** The OpenTofu module, relative to the blueprint file. */
        module: z.string().min(1),
        ttl: z
          .object({
            defaultHours: z.number().positive(),
            maxHours: z.number().positive(),
          })
          .strict()
          .refine(
            t => t.defaultHours <= t.maxHours,
            'defaultHours must not exceed maxHours',
          ),
        sizes: z
          .record(z.string().regex(NAME_PATTERN), sizeSchema)
          .refine(s => Object.keys(s).length > 0, 'at least one size'),
        defaultSize: z.string().optional(),
        variables: z.array(variableSchema).default([]),
        outputs: z
          .object({ secret: z.array(z.string().regex(IDENTIFIER)).default([]) })
          .strict()
          .default({ secret: [] }),
        /**
         * What the runner gives the module besides its variables: `env`, named bundles of
         * environment variables the platform fills in from its config (`postgres-admin`: libpq's
         * PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE of environments.postgres.adminUrl);
         * `generatedSecrets`, variables the portal generates once per environment (32 hex
         * characters), keeps encrypted, passes as sensitive TF_VAR_<name> and redacts from logs.
         */
        runner: z
          .object({
            env: z.array(z.enum(RUNNER_ENV_BUNDLES)).default([]),
            generatedSecrets: z
              .array(
                z
                  .string()
                  .regex(
                    IDENTIFIER,
                    'must be lower case letters, digits and _ (an OpenTofu identifier)',
                  ),
              )
              .default([]),
          })
          .strict()
          .default({ env: [], generatedSecrets: [] }),
        /** Not applied on this machine (a pattern for real clouds); only formatted and validated. */
        applyable: z.boolean().default(true),
      })
      .strict(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const { spec } = b;
    if (spec.defaultSize && !spec.sizes[spec.defaultSize]) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'defaultSize'],
        message: `is not one of the sizes (${Object.keys(spec.sizes).join(
          ', ',
        )})`,
      });
    }
    if (
      spec.module.split(/[\\/]/).includes('..') ||
      spec.module.startsWith('/')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'module'],
        message: 'must be a folder inside the blueprint folder',
      });
    }
    const seen = new Set<string>();
    spec.variables.forEach((v, i) => {
      if (seen.has(v.name))
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'variables', i, 'name'],
          message: `${v.name} is declared twice`,
        });
      seen.add(v.name);
      if (spec.runner.generatedSecrets.includes(v.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'variables', i, 'name'],
          message: `${v.name} is also a generated secret (spec.runner.generatedSecrets)`,
        });
      }
      if (v.default !== undefined) {
        const problem = checkValue(v, v.default);
        if (problem)
          ctx.addIssue({
            code: 'custom',
            path: ['spec', 'variables', i, 'default'],
            message: problem,
          });
      }
    });
  });

export type Blueprint = z.infer<typeof blueprintSchema>;
export type BlueprintVariable = Blueprint['spec']['variables'][number];

/** Why a value does not fit a variable, or undefined when it does. */
function checkValue(v: BlueprintVariable, value: unknown): string | undefined {
  if (v.type === 'string' && typeof value !== 'string')
    return `must be a string`;
  if (
    v.type === 'number' &&
    (typeof value !== 'number' || !Number.isFinite(value))
  )
    return `must be a number`;
  if (v.type === 'bool' && typeof value !== 'boolean')
    return `must be true or false`;
  if (v.allowed && !v.allowed.includes(value as string | number)) {
    return `must be one of ${v.allowed.map(a => JSON.stringify(a)).join(', ')}`;
  }
  if (typeof value === 'string') {
    if (v.pattern && !new RegExp(`^(?:${v.pattern})$`).test(value))
      return `must match ${v.pattern}`;
    if (hasControlCharacter(value))
      return 'must not contain control characters';
  }
  if (typeof value === 'number') {
    if (v.min !== undefined && value < v.min)
      return `must be at least ${v.min}`;
    if (v.max !== undefined && value > v.max) return `must be at most ${v.max}`;
  }
  return undefined;
}

/** One problem with a request's variables: the field and the rule it breaks. */
export interface VariableProblem {
  field: string;
  message: string;
}

/**
 * Checks requested variables against a blueprint: unknown names, types, allowed values, patterns
 * and ranges. Returns the variables with defaults filled in, or the problems.
 */
export function resolveVariables(
  blueprint: Blueprint,
  requested: Record<string, unknown>,
): {
  variables: Record<string, string | number | boolean>;
  problems: VariableProblem[];
} {
  const problems: VariableProblem[] = [];
  const declared = new Map(blueprint.spec.variables.map(v => [v.name, v]));
  for (const name of Object.keys(requested)) {
    if (!declared.has(name)) {
      problems.push({
        field: `variables.${name}`,
        message: `is not a variable of ${blueprint.metadata.name} (it has: ${
          [...declared.keys()].join(', ') || 'none'
        })`,
      });
    }
  }
  const variables: Record<string, string | number | boolean> = {};
  for (const v of blueprint.spec.variables) {
    const value = requested[v.name] ?? v.default;
    if (value === undefined) {
      problems.push({ field: `variables.${v.name}`, message: 'is required' });
      continue;
    }
    const problem = checkValue(v, value);
    if (problem)
      problems.push({ field: `variables.${v.name}`, message: problem });
    else variables[v.name] = value as string | number | boolean;
  }
  return { variables, problems };
}

/** True when the text holds a C0 control character (U+0000 to U+001F); one pass. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x20) return true;
  }
  return false;
}
