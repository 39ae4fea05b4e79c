import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  TemplateAdoptionRow,
  TimeToFirstDeployRow,
} from '@internal/plugin-dora-common';
import { DoraStore } from '../store/DoraStore';

const DAY = 24 * 3600_000;

/** One scaffolder task as the dora plugin keeps it. */
export interface TemplateRun {
  taskId: string;
  templateRef: string;
  createdBy?: string;
  teamRef?: string;
  status: string;
  componentRef?: string;
  createdAt: number;
}

/** A scaffolder task as GET /api/scaffolder/v2/tasks returns it (the fields read here). */
export interface SerializedTask {
  id: string;
  spec: {
    templateInfo?: { entityRef?: string };
    parameters?: Record<string, unknown>;
    user?: { ref?: string };
  };
  status: string;
  createdAt: string;
  createdBy?: string;
}

/**
 * A task as a template run: the template, who ran it and their team (the first group they are a
 * member of, now), and the component it created: a catalog Component whose
 * backstage.io/source-template is the task's template and whose name is the task's `name` (or
 * `componentId`) parameter. The scaffolder keeps a task's output only in its event log, so the
 * component is found the way the catalog records it.
 */
export function templateRunOf(
  task: SerializedTask,
  catalog: {
    teamOf(user?: string): string | undefined;
    createdComponent(templateRef: string, name?: string): string | undefined;
  },
): TemplateRun | undefined {
  const templateRef = task.spec?.templateInfo?.entityRef;
  if (!templateRef) return undefined;
  const createdBy = task.createdBy ?? task.spec.user?.ref;
  const params = task.spec.parameters ?? {};
  const name = [params.name, params.componentId, params.component_id].find(
    v => typeof v === 'string',
  ) as string | undefined;
  return {
    taskId: task.id,
    templateRef: templateRef.toLowerCase(),
    createdBy,
    teamRef: catalog.teamOf(createdBy),
    status: task.status,
    componentRef:
      task.status === 'completed'
        ? catalog.createdComponent(templateRef.toLowerCase(), name)
        : undefined,
    createdAt: Date.parse(task.createdAt),
  };
}

/** What template runs need from the catalog: users' groups and components' source templates. */
export function catalogLookup(users: Entity[], components: Entity[]) {
  const teams = new Map<string, string>();
  for (const u of users) {
    const group =
      (u.relations ?? []).find(r => r.type === 'memberOf')?.targetRef ??
      (Array.isArray(u.spec?.memberOf)
        ? `group:default/${u.spec.memberOf[0]}`
        : undefined);
    if (group) teams.set(stringifyEntityRef(u), group);
  }
  const created = new Map<string, string>();
  for (const c of components) {
    const template = c.metadata.annotations?.['backstage.io/source-template'];
    if (template)
      created.set(
        `${template.toLowerCase()}|${c.metadata.name.toLowerCase()}`,
        stringifyEntityRef(c),
      );
  }
  return {
    teamOf: (user?: string) =>
      user ? teams.get(user.toLowerCase()) : undefined,
    createdComponent: (templateRef: string, name?: string) =>
      name ? created.get(`${templateRef}|${name.toLowerCase()}`) : undefined,
  };
}

/**
 * Template adoption and time to first deploy, from template runs kept in dora_template_runs. The runs
 * come from the scaffolder's own REST API (GET /v2/tasks, with the plugin's service credentials),
 * synced on a schedule: the scaffolder publishes no events for tasks, and reading its API keeps
 * the dora plugin out of the scaffolder's database. Runs can also be recorded directly
 * (POST /template-runs, service callers) by a scaffolder action or the demo seeder.
 */
export class PlatformMetrics {
  constructor(private readonly store: DoraStore) {}

  async recordRuns(runs: TemplateRun[], now = Date.now()): Promise<number> {
    for (const r of runs) {
      await this.store
        .db('dora_template_runs')
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

  private window(windowDays: number, at?: Date) {
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 366)
      throw new InputError(
        'window: must be a whole number of days from 1 to 366',
      );
    const to = (at ?? new Date()).getTime();
    return { from: to - windowDays * DAY, to };
  }

  /** Template runs per template and team in the window, and how many completed. */
  /** Runs and successes by template and team; with `page`, those rows from `offset`, at most `limit` of them. */
  async templateAdoption(q: {
    windowDays: number;
    at?: Date;
    teamRef?: string;
    page?: { limit: number; offset: number };
  }): Promise<TemplateAdoptionRow[]> {
    const { from, to } = this.window(q.windowDays, q.at);
    const query = this.store
      .db('dora_template_runs')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy('template_ref', 'team_ref')
      .orderBy([{ column: 'template_ref' }, { column: 'team_ref' }])
      .select(
        'template_ref',
        'team_ref',
        this.store.db.raw('count(*) as runs'),
        this.store.db.raw(
          `sum(case when status = 'completed' then 1 else 0 end) as succeeded`,
        ),
      );
    if (q.teamRef) query.where('team_ref', q.teamRef);
    if (q.page) query.limit(q.page.limit).offset(q.page.offset);
    return (await query).map((r: any) => ({
      templateRef: r.template_ref,
      teamRef: r.team_ref ?? undefined,
      runs: Number(r.runs),
      succeeded: Number(r.succeeded),
    }));
  }

  /**
   * For each template run in the window that created a component: the component's first successful
   * production deployment at or after the run, and the hours in between (undefined while it has none).
   */
  async timeToFirstDeploy(q: {
    windowDays: number;
    at?: Date;
    teamRef?: string;
    page?: { limit: number; offset: number };
  }): Promise<TimeToFirstDeployRow[]> {
    const { from, to } = this.window(q.windowDays, q.at);
    const db = this.store.db;
    const first = `(select min(d.deployed_at) from dora_deployments d where d.component_ref = r.component_ref and d.counted = true and d.deployed_at >= r.created_at)`;
    const query = db('dora_template_runs as r')
      .whereNotNull('r.component_ref')
      .where('r.created_at', '>=', from)
      .where('r.created_at', '<', to)
      .orderBy([{ column: 'r.created_at' }, { column: 'r.task_id' }])
      .select('r.*', db.raw(`${first} as first_at`));
    if (q.teamRef) query.where('r.team_ref', q.teamRef);
    if (q.page) query.limit(q.page.limit).offset(q.page.offset);
    const rows = await query;
    const out: TimeToFirstDeployRow[] = [];
    for (const r of rows) {
      const firstAt =
        r.first_at === null || r.first_at === undefined
          ? undefined
          : Number(r.first_at);
      const dep =
        firstAt === undefined
          ? undefined
          : await db('dora_deployments')
              .where({
                component_ref: r.component_ref,
                counted: true,
                deployed_at: firstAt,
              })
              .first('id');
      out.push({
        taskId: r.task_id,
        templateRef: r.template_ref,
        componentRef: r.component_ref,
        teamRef: r.team_ref ?? undefined,
        createdAt: new Date(Number(r.created_at)).toISOString(),
        firstDeploymentId: dep?.id,
        firstDeployedAt:
          firstAt === undefined ? undefined : new Date(firstAt).toISOString(),
        hours:
          firstAt === undefined
            ? undefined
            : (firstAt - Number(r.created_at)) / 3600_000,
      });
    }
    return out;
  }
}
