import { TemplateAdoptionRow } from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { PageQuery } from '../paging';
import { TemplateRun, TimeRange } from './rows';

/** Which runs to read: those created in a range, optionally one team's, optionally one page. */
export interface RunFilter extends TimeRange {
  teamRef?: string;
  page?: PageQuery;
}

/** A template run that created a component, and that component's first counted deployment after it. */
export interface RunWithFirstDeployment {
  taskId: string;
  templateRef: string;
  componentRef: string;
  teamRef?: string;
  createdAt: number;
  firstDeploymentId?: string;
  firstDeployedAt?: number;
}

/**
 * dora_template_runs: scaffolder tasks as template runs (synced from the scaffolder's API or
 * recorded directly), with what the platform metrics read from them.
 */
export class PlatformStore {
  constructor(private readonly db: Knex) {}

  /** Records runs; a run seen before gets its status, component and sync time updated. */
  async recordRuns(runs: TemplateRun[], now: number): Promise<number> {
    for (const r of runs) {
      await this.db('dora_template_runs')
        .insert({
          task_id: r.taskId,
          template_ref: r.templateRef,
          created_by: r.createdBy ?? null,
          team_ref: r.teamRef ?? null,
          status: r.status,
          component_ref: r.componentRef ?? null,
          created_at: r.createdAt,
          synced_at: now,
        })
        .onConflict('task_id')
        .merge(['status', 'component_ref', 'synced_at']);
    }
    return runs.length;
  }

  /** Runs and completed runs by template and team, ordered by template and team. */
  async adoption(f: RunFilter): Promise<TemplateAdoptionRow[]> {
    const query = this.db('dora_template_runs')
      .where('created_at', '>=', f.from)
      .where('created_at', '<', f.to)
      .groupBy('template_ref', 'team_ref')
      .orderBy([{ column: 'template_ref' }, { column: 'team_ref' }])
      .select(
        'template_ref',
        'team_ref',
        this.db.raw('count(*) as runs'),
        this.db.raw(
          `sum(case when status = 'completed' then 1 else 0 end) as succeeded`,
        ),
      );
    if (f.teamRef) query.where('team_ref', f.teamRef);
    if (f.page) query.limit(f.page.limit).offset(f.page.offset);
    return (await query).map((r: any) => ({
      templateRef: r.template_ref,
      teamRef: r.team_ref ?? undefined,
      runs: Number(r.runs),
      succeeded: Number(r.succeeded),
    }));
  }

  /**
   * The runs that created a component, in creation order, each with the component's first
   * successful production deployment at or after the run (none yet: both unset).
   */
  async firstDeployments(f: RunFilter): Promise<RunWithFirstDeployment[]> {
    const first = `(select min(d.deployed_at) from dora_deployments d where d.component_ref = r.component_ref and d.counted = true and d.deployed_at >= r.created_at)`;
    const query = this.db('dora_template_runs as r')
      .whereNotNull('r.component_ref')
      .where('r.created_at', '>=', f.from)
      .where('r.created_at', '<', f.to)
      .orderBy([{ column: 'r.created_at' }, { column: 'r.task_id' }])
      .select('r.*', this.db.raw(`${first} as first_at`));
    if (f.teamRef) query.where('r.team_ref', f.teamRef);
    if (f.page) query.limit(f.page.limit).offset(f.page.offset);
    const runs = (await query).map((r: any) => ({
      r,
      firstAt:
        r.first_at === null || r.first_at === undefined
          ? undefined
          : Number(r.first_at),
    }));
    // the first deployments' ids, for the page's runs together (a statement a run before)
    const found = runs.filter(x => x.firstAt !== undefined);
    const ids = new Map<string, string>();
    const key = (componentRef: string, at: number) => `${componentRef}|${at}`;
    for (let i = 0; i < found.length; i += 400) {
      const rows: any[] = await this.db('dora_deployments')
        .where('counted', true)
        .whereIn(
          ['component_ref', 'deployed_at'],
          found
            .slice(i, i + 400)
            .map(x => [x.r.component_ref, x.firstAt as number]),
        )
        .orderBy('id')
        .select('id', 'component_ref', 'deployed_at');
      for (const d of rows) {
        const k = key(d.component_ref, Number(d.deployed_at));
        if (!ids.has(k)) ids.set(k, d.id);
      }
    }
    const out: RunWithFirstDeployment[] = runs.map(({ r, firstAt }) => ({
      taskId: r.task_id,
      templateRef: r.template_ref,
      componentRef: r.component_ref,
      teamRef: r.team_ref ?? undefined,
      createdAt: Number(r.created_at),
      firstDeploymentId:
        firstAt === undefined
          ? undefined
          : ids.get(key(r.component_ref, firstAt)),
      firstDeployedAt: firstAt,
    }));
    return out;
  }
}
