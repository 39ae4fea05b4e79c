import { Change, Deployment, Incident } from '@internal/plugin-dora-common';

/*
 * Stored rows as the API shows them. Times are stored as epoch ms (PostgreSQL returns bigint as
 * text, SQLite as a number; both are read with Number).
 */

/** An epoch-ms column as ISO 8601 (undefined when null). */
export const isoOf = (v: unknown) =>
  v === null || v === undefined ? undefined : new Date(Number(v)).toISOString();

/** A numeric column as a number (undefined when null). */
export const numberOf = (v: unknown) =>
  v === null || v === undefined ? undefined : Number(v);

export function deploymentFromRow(r: any): Deployment {
  return {
    id: r.id,
    componentRef: r.component_ref ?? undefined,
    teamRef: r.team_ref ?? undefined,
    subject: r.subject,
    repo: r.repo ?? undefined,
    service: r.service ?? undefined,
    environment: r.environment,
    production: Boolean(r.production),
    status: r.status,
    sha: r.sha ?? undefined,
    deployedAt: isoOf(r.deployed_at)!,
    rework: r.rework ?? undefined,
    failure: r.failure ?? undefined,
    recoveredAt: isoOf(r.recovered_at),
    url: r.url ?? undefined,
  };
}

export function changeFromRow(r: any): Change {
  return {
    id: r.id,
    componentRef: r.component_ref ?? undefined,
    teamRef: r.team_ref ?? undefined,
    subject: r.subject,
    repo: r.repo,
    sha: r.sha,
    committedAt: isoOf(r.committed_at)!,
    landedAt: isoOf(r.landed_at)!,
    pullRequest: numberOf(r.pull_request),
    title: r.title ?? undefined,
    revert: Boolean(r.revert),
  };
}

export function incidentFromRow(r: any): Incident {
  return {
    id: r.id,
    componentRef: r.component_ref ?? undefined,
    teamRef: r.team_ref ?? undefined,
    subject: r.subject,
    title: r.title ?? undefined,
    startedAt: isoOf(r.started_at)!,
    resolvedAt: isoOf(r.resolved_at),
    state:
      r.resolved_at === null || r.resolved_at === undefined
        ? 'open'
        : 'resolved',
    url: r.url ?? undefined,
  };
}

/** knex.raw's rows: PostgreSQL returns a result object, SQLite an array. */
export function rowsOf(result: any): any[] {
  return Array.isArray(result) ? result : result.rows;
}
