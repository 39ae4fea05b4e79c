import {
  ScorecardCheckResult,
  ScorecardGrade,
  ScorecardHistoryPoint,
  ScorecardResult,
} from '@internal/plugin-dora-common';
import { Knex } from 'knex';

const DAY = 24 * 3600_000;
/** Results recorded a transaction (two bindings each in the read of their latest rows). */
const RECORD_CHUNK = 400;
/** Rows an INSERT (ten bindings each, within SQLite's limit of bindings a statement). */
const INSERT_CHUNK = 50;
const toIso = (v: unknown) => new Date(v as string).toISOString();

/** What recording compares and updates of a latest row. */
const LATEST_COLUMNS = [
  'id',
  'scorecard',
  'entity_ref',
  'owner_ref',
  'score',
  'checks',
  'evaluated_at',
];
const key = (entityRef: string, scorecard: string) =>
  `${entityRef}\u0000${scorecard}`;
const keyed = (rows: Row[]) =>
  new Map(rows.map(r => [key(r.entity_ref, r.scorecard), r]));

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
    return (await this.recordAll([result], now)) > 0;
  }

  /**
   * Records the results of an evaluation, each as `record` would (one result per entity and
   * scorecard), a few hundred a transaction: the latest rows read with one statement, the results
   * seen again marked with one, the changed ones inserted together. Returns how many history rows
   * it added. (One result at a time cost a transaction and its commit each: most of a full
   * evaluation on PostgreSQL, scale.bench.ts.)
   */
  async recordAll(
    results: Omit<ScorecardResult, 'title'>[],
    now: Date,
  ): Promise<number> {
    // More than a chunk (a full evaluation): every latest row in one read. The read of a chunk's
    // own, (entity_ref, scorecard) IN 400 pairs, took 63 ms to plan on PostgreSQL (scale bench).
    const latest =
      results.length > RECORD_CHUNK
        ? keyed(
            await this.db('scorecard_results')
              .where({ latest: true })
              .select(LATEST_COLUMNS),
          )
        : undefined;
    let added = 0;
    for (let i = 0; i < results.length; i += RECORD_CHUNK) {
      const chunk = results.slice(i, i + RECORD_CHUNK);
      added += await this.db.transaction(tx =>
        this.recordChunk(tx, chunk, now, latest),
      );
    }
    return added;
  }

  private async recordChunk(
    tx: Knex.Transaction,
    results: Omit<ScorecardResult, 'title'>[],
    now: Date,
    prefetched?: Map<string, Row>,
  ): Promise<number> {
    const latestOf =
      prefetched ??
      keyed(
        await tx('scorecard_results')
          .whereIn(
            ['entity_ref', 'scorecard'],
            results.map(r => [r.entityRef, r.scorecard]),
          )
          .where({ latest: true })
          .select(LATEST_COLUMNS),
      );
    const seen: number[] = [];
    const superseded: number[] = [];
    const rows: object[] = [];
    for (const result of results) {
      const latest = latestOf.get(key(result.entityRef, result.scorecard));
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
        seen.push(latest!.id);
        continue;
      }
      if (latest) superseded.push(latest.id);
      rows.push({
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
    }
    if (seen.length)
      await tx('scorecard_results')
        .whereIn('id', seen)
        .update({ last_seen_at: now, retired: false });
    if (superseded.length)
      await tx('scorecard_results')
        .whereIn('id', superseded)
        .update({ latest: false });
    for (let i = 0; i < rows.length; i += INSERT_CHUNK)
      await tx('scorecard_results').insert(rows.slice(i, i + INSERT_CHUNK));
    return rows.length;
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

  /**
   * Every current result's score and grade, without its checks (optionally one owner's): what
   * the team rollups add up, without reading and parsing every result's checks.
   */
  async currentScores(ownerRef?: string): Promise<
    Array<
      Pick<ScorecardResult, 'scorecard' | 'entityRef' | 'score' | 'grade'> & {
        ownerRef?: string;
      }
    >
  > {
    const q = this.db('scorecard_results')
      .where({ latest: true, retired: false })
      .select('scorecard', 'entity_ref', 'owner_ref', 'score', 'grade');
    if (ownerRef) q.andWhere({ owner_ref: ownerRef });
    return (await q.orderBy(['owner_ref', 'entity_ref'])).map((r: Row) => ({
      scorecard: r.scorecard,
      entityRef: r.entity_ref,
      ownerRef: r.owner_ref ?? undefined,
      score: Number(r.score),
      grade: r.grade,
    }));
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
