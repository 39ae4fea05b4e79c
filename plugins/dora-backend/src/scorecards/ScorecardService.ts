import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityScorecardsResponse,
  SCORECARD_GRADES,
  ScorecardCheckResult,
  ScorecardGrade,
  ScorecardResult,
  TeamScorecardRollup,
  TeamScorecardsResponse,
} from '@internal/plugin-dora-common';
import { evaluateCheck, ownerRef, ScorecardFacts } from './checks';
import { ComponentMetricsSource, componentMetrics } from './componentMetrics';
import { Scorecard } from './definitions';
import { grade } from './grade';
import { ScorecardDefinitions } from './ScorecardDefinitions';
import { ScorecardStore } from '../store/ScorecardStore';

/** A check's outcome: passed, else exempt while an exemption lasts, else failed. */
function checkOutcome(
  passed: boolean,
  exempt: boolean,
): 'passed' | 'exempt' | 'failed' {
  if (passed) return 'passed';
  return exempt ? 'exempt' : 'failed';
}

export interface ScorecardServiceDeps {
  definitions: ScorecardDefinitions;
  store: ScorecardStore;
  catalog: CatalogService;
  auth: AuthService;
  /** The DORA metrics of the components (DoraMetricsService). */
  metrics: ComponentMetricsSource;
  logger?: LoggerService;
}

function applies(card: Scorecard, entity: Entity): boolean {
  const kinds = card.spec.appliesTo.kinds.map(k => k.toLowerCase());
  if (!kinds.includes(entity.kind.toLowerCase())) return false;
  const types = card.spec.appliesTo.types;
  return (
    !types ||
    types.includes(
      String((entity.spec as { type?: unknown } | undefined)?.type ?? ''),
    )
  );
}

/**
 * Evaluates the scorecards from git on the catalog's entities, stores the results with their
 * history, and answers an entity's scorecards and the teams' rollups.
 */
export class ScorecardService {
  constructor(private readonly deps: ScorecardServiceDeps) {}

  /**
   * Evaluates every scorecard on every entity it applies to; returns how many results changed.
   * Skipped while no definitions were read (a folder in git not reachable since start), so that
   * the stored results are not retired.
   */
  async evaluateAll(
    now = new Date(),
  ): Promise<{ evaluated: number; changed: number; retired: number }> {
    if (!this.deps.definitions.loaded()) {
      this.deps.logger?.warn(
        'scorecards: not evaluated, no definitions were read yet (see the warnings of dora-scorecard-definitions)',
      );
      return { evaluated: 0, changed: 0, retired: 0 };
    }
    const cards = this.deps.definitions.list();
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities({}, { credentials });
    const refs = new Set(items.map(e => stringifyEntityRef(e)));
    const sandboxes = new Map<string, Entity[]>();
    for (const e of items) {
      if (
        e.kind.toLowerCase() !== 'resource' ||
        (e.spec as { type?: unknown })?.type !== 'environment'
      )
        continue;
      const owner = ownerRef(e);
      if (owner) sandboxes.set(owner, [...(sandboxes.get(owner) ?? []), e]);
    }
    const facts: ScorecardFacts = {
      now,
      exists: ref => refs.has(ref),
      sandboxesOf: owner => sandboxes.get(owner) ?? [],
      // each window's metrics read once for every component with rows (componentMetrics.ts)
      metrics: componentMetrics(this.deps.metrics, refs, now),
    };
    const exemptions = this.deps.definitions.exemptions();
    const results: Omit<ScorecardResult, 'title'>[] = [];
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      for (const card of cards.filter(c => applies(c, entity))) {
        const checks: ScorecardCheckResult[] = [];
        for (const check of card.spec.checks) {
          const outcome = await evaluateCheck(check, entity, facts).catch(
            e => ({
              passed: false,
              detail: `could not be evaluated: ${(e as Error).message}`,
            }),
          );
          const exemption = exemptions.find(
            x =>
              x.entity.toLowerCase() === entityRef &&
              x.scorecard === card.metadata.name &&
              x.check === check.id &&
              x.expires.getTime() > now.getTime(),
          );
          checks.push({
            id: check.id,
            title: check.title,
            weight: check.weight,
            outcome: checkOutcome(outcome.passed, !!exemption),
            detail: outcome.detail,
            ...(exemption && !outcome.passed
              ? {
                  exemption: {
                    entityRef,
                    scorecard: card.metadata.name,
                    check: check.id,
                    reason: exemption.reason,
                    approvedBy: exemption.approvedBy,
                    expires: exemption.expires.toISOString().slice(0, 10),
                  },
                }
              : {}),
          });
        }
        const { score, grade: level } = grade(checks, card.spec.levels);
        results.push({
          scorecard: card.metadata.name,
          entityRef,
          ownerRef: ownerRef(entity),
          score,
          grade: level,
          checks,
          evaluatedAt: now.toISOString(),
        });
      }
    }
    // recorded together, a few hundred a transaction (ScorecardStore.recordAll)
    const evaluated = results.length;
    const changed = await this.deps.store.recordAll(results, now);
    const retired = await this.deps.store.retireUnseen(now);
    this.deps.logger?.info(
      `scorecards: ${evaluated} result(s) evaluated, ${changed} changed, ${retired} retired`,
    );
    return { evaluated, changed, retired };
  }

  async entity(entityRef: string): Promise<EntityScorecardsResponse> {
    const titles = this.titles();
    const results = await this.deps.store.forEntity(entityRef.toLowerCase());
    return {
      entityRef,
      results: results.map(r => ({
        ...r,
        title: titles.get(r.scorecard) ?? r.scorecard,
      })),
    };
  }

  async teams(teamRef?: string): Promise<TeamScorecardsResponse> {
    const titles = this.titles();
    const rollups = new Map<string, TeamScorecardRollup>();
    for (const r of await this.deps.store.currentScores(
      teamRef?.toLowerCase(),
    )) {
      if (!r.ownerRef) continue;
      const key = `${r.ownerRef}|${r.scorecard}`;
      const rollup =
        rollups.get(key) ??
        ({
          teamRef: r.ownerRef,
          scorecard: r.scorecard,
          title: titles.get(r.scorecard) ?? r.scorecard,
          entities: 0,
          averageScore: 0,
          grades: Object.fromEntries(
            SCORECARD_GRADES.map(g => [g, 0]),
          ) as Record<ScorecardGrade, number>,
          items: [],
        } satisfies TeamScorecardRollup);
      rollup.items.push({
        entityRef: r.entityRef,
        score: r.score,
        grade: r.grade,
      });
      rollup.grades[r.grade]++;
      rollup.entities = rollup.items.length;
      rollup.averageScore =
        Math.round(
          (10 * rollup.items.reduce((s, i) => s + i.score, 0)) /
            rollup.items.length,
        ) / 10;
      rollups.set(key, rollup);
    }
    return { items: [...rollups.values()] };
  }

  private titles() {
    return new Map(
      this.deps.definitions
        .list()
        .map(c => [c.metadata.name, c.metadata.title]),
    );
  }
}
