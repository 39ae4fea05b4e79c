import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  TemplateAdoptionRow,
  TimeToFirstDeployRow,
} from '@internal/plugin-dora-common';
import { MAX_WINDOW_DAYS } from '../limits';
import { DoraStore } from '../store/DoraStore';
import { TemplateRun } from '../store/rows';

const DAY = 24 * 3600_000;

export type { TemplateRun } from '../store/rows';

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
    return this.store.platform.recordRuns(runs, now);
  }

  private window(windowDays: number, at?: Date) {
    if (
      !Number.isInteger(windowDays) ||
      windowDays < 1 ||
      windowDays > MAX_WINDOW_DAYS
    )
      throw new InputError(
        `window: must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}`,
      );
    const to = (at ?? new Date()).getTime();
    return { from: to - windowDays * DAY, to };
  }

  /** Runs and successes by template and team in the window; with `page`, those rows from `offset`, at most `limit` of them. */
  async templateAdoption(q: {
    windowDays: number;
    at?: Date;
    teamRef?: string;
    page?: { limit: number; offset: number };
  }): Promise<TemplateAdoptionRow[]> {
    return this.store.platform.adoption({
      ...this.window(q.windowDays, q.at),
      teamRef: q.teamRef,
      page: q.page,
    });
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
    const runs = await this.store.platform.firstDeployments({
      ...this.window(q.windowDays, q.at),
      teamRef: q.teamRef,
      page: q.page,
    });
    return runs.map(r => ({
      taskId: r.taskId,
      templateRef: r.templateRef,
      componentRef: r.componentRef,
      teamRef: r.teamRef,
      createdAt: new Date(r.createdAt).toISOString(),
      firstDeploymentId: r.firstDeploymentId,
      firstDeployedAt:
        r.firstDeployedAt === undefined
          ? undefined
          : new Date(r.firstDeployedAt).toISOString(),
      hours:
        r.firstDeployedAt === undefined
          ? undefined
          : (r.firstDeployedAt - r.createdAt) / 3600_000,
    }));
  }
}
