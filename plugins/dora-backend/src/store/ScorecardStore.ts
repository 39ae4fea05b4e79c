import {
  ScorecardCheckResult,
  ScorecardGrade,
  ScorecardHistoryPoint,
  ScorecardResult,
} from '@internal/plugin-dora-common';
import { Knex } from 'knex';

const DAY = 24 * 3600_000;
const toIso = (v: unknown) => new Date(v as string).toISOString();

type Row = {
  id: number;
  scorecard: string;
  entity_ref: string;
  owner_ref: string | null;
  score: number;
  grade: ScorecardGrade;
  checks: string;
  evaluated_at: unknown;
  last_seen_at: unknown;
};

/**
 * Scorecard results and their history, in the dora plugin's database (the migrations are the
 * plugin's; DoraStore runs them). A new row when a result changes or a day has passed since the
 * latest; otherwise the latest row is marked as seen again.
 */
export class ScorecardStore {
  constructor(private readonly db: Knex) {}

  /** Records one evaluation; true when it added a history row. */
  async record(
    result: Omit<ScorecardResult, 'title'>,
    now = new Date(result.evaluatedAt),
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const latest: Row | undefined = await tx('scorecard_results')
        .where({
          entity_ref: result.entityRef,
          scorecard: result.scorecard,
          latest: true,
        })
        .first();
      const checks = JSON.stringify(result.checks);
      const same =
        latest &&
        latest.checks === checks &&
        Number(latest.score) === result.score &&
        latest.owner_ref === (result.ownerRef ?? null);
      if (
        same &&
        now.getTime() - new Date(latest!.evaluated_at as string).getTime() < DAY
      ) {
        await tx('scorecard_results')
          .where({ id: latest!.id })
          .update({ last_seen_at: now, retired: false });
        return false;
      }
      if (latest)
        await tx('scorecard_results')
          .where({ id: latest.id })
          .update({ latest: false });
      await tx('scorecard_results').insert({
        scorecard: result.scorecard,
        entity_ref: result.entityRef,
        owner_ref: result.ownerRef ?? null,
        score: result.score,
        grade: result.grade,
        checks,
        evaluated_at: now,
        last_seen_at: now,
        latest: true,
        retired: false,
      });
      return true;
    });
  }

  /** After a full evaluation that started at `runStart`: results of entities it did not see are retired. */
  async retireUnseen(runStart: Date): Promise<number> {
    return this.db('scorecard_results')
      .where({ latest: true, retired: false })
      .andWhere('last_seen_at', '<', runStart)
      .update({ retired: true });
  }

  /** The current result of each scorecard for an entity, with its last `points` history points (oldest first). */
  async forEntity(
    entityRef: string,
    points = 180,
  ): Promise<
    Array<Omit<ScorecardResult, 'title'> & { history: ScorecardHistoryPoint[] }>
  > {
    const latest: Row[] = await this.db('scorecard_results')
      .where({ entity_ref: entityRef, latest: true, retired: false })
      .orderBy('scorecard');
    const out = [];
    for (const r of latest) {
      const history: Row[] = await this.db('scorecard_results')
        .where({ entity_ref: entityRef, scorecard: r.scorecard })
        .orderBy('evaluated_at', 'desc')
        .limit(points);
      out.push({
        ...fromRow(r),
        history: history.reverse().map(h => ({
          evaluatedAt: toIso(h.evaluated_at),
          score: Number(h.score),
          grade: h.grade,
        })),
      });
    }
    return out;
  }

  /** Every current result, for team rollups (optionally one owner's). */
  async current(
    ownerRef?: string,
  ): Promise<Array<Omit<ScorecardResult, 'title'>>> {
    const q = this.db('scorecard_results').where({
      latest: true,
      retired: false,
    });
    if (ownerRef) q.andWhere({ owner_ref: ownerRef });
    return (await q.orderBy(['owner_ref', 'entity_ref'])).map(fromRow);
  }
}

function fromRow(r: Row): Omit<ScorecardResult, 'title'> {
  return {
    scorecard: r.scorecard,
    entityRef: r.entity_ref,
    ownerRef: r.owner_ref ?? undefined,
    score: Number(r.score),
    grade: r.grade,
    checks: JSON.parse(r.checks) as ScorecardCheckResult[],
    evaluatedAt: toIso(r.last_seen_at),
  };
}
