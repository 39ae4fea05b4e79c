import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import Ajv, { ValidateFunction } from 'ajv';

/** A permission rule as its plugin registered it (`/.well-known/backstage/permissions/metadata`). */
export interface RuleMetadata {
  name: string;
  resourceType: string;
  paramsSchema?: Record<string, unknown>;
}

export type RuleLoader = (pluginId: string) => Promise<RuleMetadata[]>;

/** Loads the rules a plugin registered, from its permission metadata endpoint. */
export function metadataRuleLoader(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): RuleLoader {
  return async pluginId => {
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const base = await options.discovery.getBaseUrl(pluginId);
    const res = await fetch(
      `${base}/.well-known/backstage/permissions/metadata`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const body = (await res.json()) as { rules?: RuleMetadata[] };
    return body.rules ?? [];
  };
}

/**
 * Checks conditions from the policy against the rules the resource's plugin registered: every
 * leaf names a rule of that plugin for the same resource type, with parameters its schema accepts,
 * and every allOf/anyOf has at least one member. A plugin's rules are loaded once and kept for
 * `ttlMs`.
 */
export class ConditionValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly rules = new Map<
    string,
    { expires: number; rules: Promise<Map<string, RuleMetadata>> }
  >();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly load: RuleLoader,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** The problems found; an empty list means the conditions are valid. */
  async validate(
    pluginId: string,
    resourceType: string,
    conditions: unknown,
  ): Promise<string[]> {
    let rules: Map<string, RuleMetadata>;
    try {
      rules = await this.rulesOf(pluginId);
    } catch (e) {
      return [
        `the rules of plugin '${pluginId}' could not be loaded: ${
          (e as Error).message
        }`,
      ];
    }
    const problems: string[] = [];
    this.check(conditions, '$', { pluginId, resourceType, rules }, problems);
    return problems;
  }

  private rulesOf(pluginId: string): Promise<Map<string, RuleMetadata>> {
    const now = Date.now();
    const cached = this.rules.get(pluginId);
    if (cached && cached.expires > now) return cached.rules;
    const rules = this.load(pluginId).then(
      list => new Map(list.map(r => [`${r.resourceType}/${r.name}`, r])),
    );
    rules.catch(() => this.rules.delete(pluginId)); // try again next time
    this.rules.set(pluginId, { expires: now + this.ttlMs, rules });
    return rules;
  }

  private check(
    node: unknown,
    at: string,
    ctx: {
      pluginId: string;
      resourceType: string;
      rules: Map<string, RuleMetadata>;
    },
    problems: string[],
  ): void {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push(
        `${at}: expected a condition object, got ${JSON.stringify(node)}`,
      );
      return;
    }
    const obj = node as Record<string, unknown>;
    for (const key of ['allOf', 'anyOf'] as const) {
      if (key in obj) {
        const list = obj[key];
        if (!Array.isArray(list) || list.length === 0) {
          problems.push(`${at}.${key}: must be a non-empty list`);
          return;
        }
        list.forEach((child, i) =>
          this.check(child, `${at}.${key}[${i}]`, ctx, problems),
        );
        return;
      }
    }
    if ('not' in obj) {
      this.check(obj.not, `${at}.not`, ctx, problems);
      return;
    }
    const { rule, resourceType, params } = obj;
    if (typeof rule !== 'string') {
      problems.push(`${at}: expected allOf, anyOf, not, or a rule with a name`);
      return;
    }
    if (resourceType !== ctx.resourceType) {
      problems.push(
        `${at}: rule ${rule} is for resource type '${String(
          resourceType,
        )}', but the decision is for '${ctx.resourceType}'`,
      );
      return;
    }
    const meta = ctx.rules.get(`${ctx.resourceType}/${rule}`);
    if (!meta) {
      const known = [...ctx.rules.values()]
        .filter(r => r.resourceType === ctx.resourceType)
        .map(r => r.name);
      problems.push(
        `${at}: plugin '${ctx.pluginId}' has no rule ${rule} for ${
          ctx.resourceType
        } (it has: ${known.join(', ') || 'none'})`,
      );
      return;
    }
    if (meta.paramsSchema) {
      const validate = this.validatorFor(ctx.pluginId, meta);
      if (!validate(params ?? {})) {
        const why = (validate.errors ?? [])
          .map(e => `${e.instancePath || 'params'} ${e.message}`)
          .join('; ');
        problems.push(`${at}: parameters of ${rule} are invalid: ${why}`);
      }
    }
  }

  private validatorFor(pluginId: string, meta: RuleMetadata): ValidateFunction {
    const key = `${pluginId}/${meta.resourceType}/${meta.name}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const { $schema: _ignored, ...schema } = meta.paramsSchema as Record<
        string,
        unknown
      >;
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }
}
