import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DoraLevel,
  METRIC_NAMES,
  MetricName,
  MetricsResult,
} from '@internal/plugin-dora-common';
import { ScorecardCheck } from './definitions';

/** What the checks may know beyond the entity itself. */
export interface ScorecardFacts {
  now: Date;
  /** Whether an entity ref exists in the catalog. */
  exists(ref: string): boolean;
  /** The sandbox environments (catalog Resources of type environment) a team owns. */
  sandboxesOf(ownerRef: string): Entity[];
  /** A component's DORA metrics over a window. */
  metrics(entityRef: string, windowDays: number): Promise<MetricsResult>;
}

export interface CheckOutcome {
  passed: boolean;
  detail: string;
}

const RANK: Record<DoraLevel, number> = {
  elite: 4,
  high: 3,
  medium: 2,
  low: 1,
};
const METRIC_TITLES: Record<MetricName, string> = {
  deploymentFrequency: 'deployment frequency',
  changeLeadTime: 'change lead time',
  changeFailureRate: 'change failure rate',
  failedDeploymentRecoveryTime: 'failed deployment recovery time',
  deploymentReworkRate: 'deployment rework rate',
};

export function ownerRef(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

/** Evaluates one check on one entity. */
export async function evaluateCheck(
  check: ScorecardCheck,
  entity: Entity,
  facts: ScorecardFacts,
): Promise<CheckOutcome> {
  switch (check.type) {
    case 'has-owner': {
      const owner = ownerRef(entity);
      if (!owner) return { passed: false, detail: 'spec.owner is not set' };
      return facts.exists(owner)
        ? { passed: true, detail: `owned by ${owner}` }
        : { passed: false, detail: `owner ${owner} is not in the catalog` };
    }
    case 'has-annotation': {
      const value = entity.metadata.annotations?.[check.annotation];
      return value
        ? { passed: true, detail: `${check.annotation}: ${value}` }
        : { passed: false, detail: `no ${check.annotation} annotation` };
    }
    case 'created-from-template': {
      const template =
        entity.metadata.annotations?.['backstage.io/source-template'];
      return template
        ? { passed: true, detail: `created from ${template}` }
        : {
            passed: false,
            detail:
              'not created from a Software Template (no backstage.io/source-template annotation)',
          };
    }
    case 'dora-level': {
      const result = await facts.metrics(
        stringifyEntityRef(entity),
        check.windowDays,
      );
      const names = check.metric === 'all' ? METRIC_NAMES : [check.metric];
      const short: string[] = [];
      for (const name of names) {
        const m = result.metrics[name];
        if (m.insufficientData || !m.level)
          short.push(
            `${METRIC_TITLES[name]}: insufficient data (${m.sampleSize} in ${check.windowDays} days)`,
          );
        else if (RANK[m.level] < RANK[check.atLeast])
          short.push(`${METRIC_TITLES[name]} is ${m.level}`);
      }
      const scope =
        check.metric === 'all'
          ? 'every DORA metric'
          : METRIC_TITLES[check.metric];
      return short.length
        ? {
            passed: false,
            detail: `${short.join('; ')}; needs ${check.atLeast} or better (${
              result.benchmark
            } benchmark, ${check.windowDays} days)`,
          }
        : {
            passed: true,
            detail: `${scope} is ${check.atLeast} or better (${result.benchmark} benchmark, ${check.windowDays} days)`,
          };
    }
    case 'no-stale-sandboxes': {
      const owner = ownerRef(entity);
      if (!owner)
        return {
          passed: false,
          detail: 'no owner, so no team whose sandboxes to check',
        };
      const limit = facts.now.getTime() - check.expiredForDays * 24 * 3600_000;
      const problems = facts.sandboxesOf(owner).flatMap(env => {
        const a = env.metadata.annotations ?? {};
        const name = env.metadata.title ?? env.metadata.name;
        if (a['portal.acme.example/environment-state'] === 'quarantined')
          return [`${name} is quarantined`];
        const expires = a['portal.acme.example/environment-expires-at'];
        if (expires && new Date(expires).getTime() < limit)
          return [`${name} expired on ${expires.slice(0, 10)}`];
        return [];
      });
      return problems.length
        ? { passed: false, detail: `${owner}: ${problems.join('; ')}` }
        : {
            passed: true,
            detail: `${owner} has no quarantined sandbox, and none expired more than ${check.expiredForDays} days ago`,
          };
    }
    default:
      return { passed: false, detail: 'unknown check type' };
  }
}
