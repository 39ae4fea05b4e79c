import { Config } from '@backstage/config';

/**
 * What the portal answers for a permission while OPA cannot answer (down, slow, malformed, breaker
 * open): `opa.fallback.allow` allows a permission outright, `opa.fallback.conditional` answers
 * CONDITIONAL with conditions from config in which the principal's claims are substituted, and
 * every other permission is denied.
 */
export interface OpaFallbackConfig {
  /** Allowed outright; refused at start when NODE_ENV=production. */
  allow: string[];
  /** Answered with conditions, applied by the plugin that owns the resource. */
  conditional: OpaFallbackConditional[];
}

export interface OpaFallbackConditional {
  permission: string;
  pluginId: string;
  resourceType: string;
  /** Permission criteria (allOf, anyOf, not, {rule, resourceType, params}) with placeholders. */
  conditions: unknown;
  /** Shown to the user with the decision; says what the condition keeps. */
  reason?: string;
}

/** The fallback's answer for one permission; undefined means deny (fail closed). */
export type OpaFallbackRule =
  | { type: 'allow' }
  | ({ type: 'conditional' } & Omit<OpaFallbackConditional, 'permission'>);

/** The signed-in user a fallback condition is filled in for. */
export interface FallbackPrincipal {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * Placeholders allowed as a whole string value anywhere in a fallback condition, and what they
 * become. `$claims` is what the policy's owner rules use (IS_ENTITY_OWNER, IS_ENVIRONMENT_OWNER).
 */
export const FALLBACK_PLACEHOLDERS: Record<
  string,
  (p: FallbackPrincipal) => unknown
> = {
  $claims: p => [...p.ownershipEntityRefs],
  $userEntityRef: p => p.userEntityRef,
};

/** How deep a fallback condition may nest (a config mistake, not a real criterion, goes deeper). */
export const FALLBACK_MAX_DEPTH = 16;

/** Refused at start in production, so the error names the key. */
export class FallbackConfigError extends Error {
  name = 'FallbackConfigError';
}

/**
 * Reads and checks `opa.fallback`. With `production` (NODE_ENV=production), a non-empty
 * `opa.fallback.allow` stops the start: a degraded portal must still hide what it hid before.
 */
export function fallbackFromConfig(
  config: Config,
  options: { production: boolean },
): OpaFallbackConfig {
  const allow = config.getOptionalStringArray('opa.fallback.allow') ?? [];
  if (options.production && allow.length > 0) {
    throw new FallbackConfigError(
      `opa.fallback.allow must be empty when NODE_ENV=production: it allows ${allow.join(
        ', ',
      )} ` +
        `without a condition while OPA is unavailable. Give each a condition under ` +
        `opa.fallback.conditional, or remove it.`,
    );
  }
  const entries =
    config.getOptionalConfigArray('opa.fallback.conditional') ?? [];
  const seen = new Set<string>();
  const conditional = entries.map((entry, i) => {
    const key = `opa.fallback.conditional[${i}]`;
    const permission = entry.getString('permission');
    if (seen.has(permission) || allow.includes(permission)) {
      throw new FallbackConfigError(
        `${key}.permission: ${permission} is named twice in opa.fallback; name it once`,
      );
    }
    seen.add(permission);
    const resourceType = entry.getString('resourceType');
    const conditions = entry.getConfig('conditions').get();
    checkCriteria(conditions, `${key}.conditions`, resourceType, 0);
    return {
      permission,
      pluginId: entry.getString('pluginId'),
      resourceType,
      conditions,
      reason: entry.getOptionalString('reason'),
    };
  });
  return { allow, conditional };
}

/** The rule for one permission, or undefined (deny). */
export function fallbackRuleFor(
  fallback: OpaFallbackConfig,
  permissionName: string,
): OpaFallbackRule | undefined {
  if (fallback.allow.includes(permissionName)) return { type: 'allow' };
  const c = fallback.conditional.find(e => e.permission === permissionName);
  if (!c) return undefined;
  const { permission: _name, ...rest } = c;
  return { type: 'conditional', ...rest };
}

/** The conditions with every placeholder replaced by the principal's value. */
export function resolveFallbackConditions(
  conditions: unknown,
  principal: FallbackPrincipal,
): unknown {
  if (typeof conditions === 'string') {
    const fill = FALLBACK_PLACEHOLDERS[conditions];
    return fill ? fill(principal) : conditions;
  }
  if (Array.isArray(conditions))
    return conditions.map(c => resolveFallbackConditions(c, principal));
  if (conditions && typeof conditions === 'object') {
    return Object.fromEntries(
      Object.entries(conditions).map(([k, v]) => [
        k,
        resolveFallbackConditions(v, principal),
      ]),
    );
  }
  return conditions;
}

/**
 * The shape of Backstage's permission criteria: exactly one of allOf / anyOf (non-empty lists),
 * not, or a rule leaf for the entry's resource type. Whether the rule exists with these
 * parameters is checked when it is used, against the rules its plugin publishes.
 */
function checkCriteria(
  node: unknown,
  at: string,
  resourceType: string,
  depth: number,
): void {
  const fail = (why: string) => {
    throw new FallbackConfigError(`${at}: ${why}`);
  };
  if (depth > FALLBACK_MAX_DEPTH)
    fail(`nests deeper than ${FALLBACK_MAX_DEPTH} levels`);
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    fail(
      'must be an object: allOf, anyOf, not, or {rule, resourceType, params}',
    );
  }
  const obj = node as Record<string, unknown>;
  for (const key of ['allOf', 'anyOf']) {
    if (key in obj) {
      const list = obj[key];
      if (!Array.isArray(list) || list.length === 0)
        fail(`${key} must be a non-empty list`);
      (list as unknown[]).forEach((c, i) =>
        checkCriteria(c, `${at}.${key}[${i}]`, resourceType, depth + 1),
      );
      return;
    }
  }
  if ('not' in obj) {
    checkCriteria(obj.not, `${at}.not`, resourceType, depth + 1);
    return;
  }
  if (typeof obj.rule !== 'string')
    fail('must be allOf, anyOf, not, or a rule with a name');
  if (obj.resourceType !== resourceType) {
    fail(
      `rule ${obj.rule} must have resourceType ${resourceType}, the entry's resource type`,
    );
  }
  checkPlaceholders(obj.params ?? {}, `${at}.params`);
}

function checkPlaceholders(value: unknown, at: string): void {
  if (typeof value === 'string') {
    if (value.startsWith('$') && !(value in FALLBACK_PLACEHOLDERS)) {
      throw new FallbackConfigError(
        `${at}: unknown placeholder ${value}; use one of ${Object.keys(
          FALLBACK_PLACEHOLDERS,
        ).join(', ')}`,
      );
    }
    return;
  }
  if (Array.isArray(value))
    value.forEach((v, i) => checkPlaceholders(v, `${at}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      checkPlaceholders(v, `${at}.${k}`);
  }
}
