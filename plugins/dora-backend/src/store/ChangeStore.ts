import {
  Change,
  ChangeLinkMethod,
  MetricsEntity,
} from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { ChangeEvent } from '../ingest/events';
import { PageQuery } from '../paging';
import { changeFromRow } from './fromRow';
import { Attributed, Paged, TimeRange } from './rows';
import { scoped } from './scope';

/** A change with the deployment that shipped it, how they were linked and its lead time. */
export interface ShippedChange {
  change: Change;
  deploymentId: string;
  linkedBy: ChangeLinkMethod;
  leadTimeMs: number;
}

/**
 * dora_changes: the changes that landed on a default branch (one row a repository and sha), and
 * the ones an entity's deployments shipped in a time range (through dora_deployment_changes).
 */
export class ChangeStore {
  constructor(private readonly db: Knex) {}

  /**
   * Upserts a change: the earliest commit and landing times seen win (a squash commit's push and its
   * pull request's merge are one change). Returns the subject the change belongs to.
   */
  async upsert(
    tx: Knex.Transaction,
    e: ChangeEvent,
    who: Attributed,
    flags: { revert: boolean; hotfix: boolean },
  ): Promise<string> {
    const id = `${e.repo}@${e.sha}`;
    const existing = await tx('dora_changes').where({ id }).first();
    if (!existing) {
      await tx('dora_changes').insert({
        id,
        subject: who.subject,
        component_ref: who.componentRef ?? null,
        team_ref: who.teamRef ?? null,
        repo: e.repo,
        sha: e.sha,
        committed_at: e.committedAt,
        landed_at: e.landedAt,
        pull_request: e.pullRequest ?? null,
        title: e.title ?? null,
        revert: flags.revert,
        hotfix: flags.hotfix,
      });
      return who.subject;
    }
    await tx('dora_changes')
      .where({ id })
      .update({
        committed_at: Math.min(Number(existing.committed_at), e.committedAt),
        landed_at: Math.min(Number(existing.landed_at), e.landedAt),
        pull_request: existing.pull_request ?? e.pullRequest ?? null,
        title: e.pullRequest
          ? e.title ?? existing.title
          : existing.title ?? e.title ?? null,
        revert: Boolean(existing.revert) || flags.revert,
        hotfix: Boolean(existing.hotfix) || flags.hotfix,
      });
    return existing.subject;
  }

  /** The changes shipped by the entity's deployments in the range, in deployment order, one page. */
  async shipped(
    entity: MetricsEntity,
    range: TimeRange,
    page: PageQuery,
  ): Promise<Paged<ShippedChange>> {
    const rows = await scoped(
      this.db('dora_deployment_changes as l').join(
        'dora_changes as c',
        'c.id',
        'l.change_id',
      ),
      entity,
      'l.',
    )
      .where('l.deployed_at', '>=', range.from)
      .where('l.deployed_at', '<', range.to)
      .orderBy([
        { column: 'l.deployed_at' },
        { column: 'c.landed_at' },
        { column: 'l.deployment_id' },
        { column: 'c.id' },
      ])
      .select('c.*', 'l.deployment_id', 'l.linked_by', 'l.lead_time_ms')
      .limit(page.limit + 1)
      .offset(page.offset);
    return {
      items: rows.slice(0, page.limit).map((x: any) => ({
        change: changeFromRow(x),
        deploymentId: x.deployment_id,
        linkedBy: x.linked_by,
        leadTimeMs: Number(x.lead_time_ms),
      })),
      more: rows.length > page.limit,
    };
  }
}
