import {
  hasIncidentLabel,
  incidentReferences,
  Normalized,
  optionalTime,
  parseTime,
  SourceOptions,
  textOf,
} from './events';
import { clip, containsWord, firstLine } from './text';

/** A GitLab deployment's status that decides its outcome (the others are ignored). */
const GITLAB_DEPLOYMENT_STATUS = new Map<unknown, 'success' | 'failure'>([
  ['success', 'success'],
  ['failed', 'failure'],
]);

/**
 * GitLab webhook payloads (object_kind) to normalised events: push to the default branch (one change
 * per commit), merge_request merged (the merge or squash commit; lead time from when the merge
 * request was opened), deployment (success, failed), and issue of type incident or with an incident
 * label. Anything else is ignored with the reason.
 */
export function normalizeGitlab(
  body: any,
  receivedAt: number,
  options: SourceOptions,
): Normalized {
  const repo: string | undefined = body?.project?.path_with_namespace;
  const kind = body?.object_kind;
  switch (kind) {
    case 'push': {
      if (!repo) throw new Error('project.path_with_namespace: is missing');
      const branch = body.project.default_branch;
      if (body.ref !== `refs/heads/${branch}`)
        return {
          ignored: `push to ${clip(body.ref)}, not the default branch ${clip(
            branch,
          )}`,
        };
      const events = (body.commits ?? []).map((c: any) => ({
        kind: 'change' as const,
        repo,
        sha: c.id,
        committedAt: parseTime(c.timestamp, 'commits[].timestamp'),
        landedAt: receivedAt,
        title: c.title ?? firstLine(String(c.message ?? '')),
      }));
      return events.length ? { events } : { ignored: 'push without commits' };
    }
    case 'merge_request': {
      const mr = body.object_attributes ?? {};
      if (
        mr.action !== 'merge' &&
        !(mr.state === 'merged' && mr.action === undefined)
      ) {
        return {
          ignored: `merge_request ${clip(
            mr.action ?? mr.state,
          )} is not a merge`,
        };
      }
      if (!repo) throw new Error('project.path_with_namespace: is missing');
      const sha =
        mr.merge_commit_sha ?? mr.squash_commit_sha ?? mr.last_commit?.id;
      if (!sha)
        throw new Error('object_attributes.merge_commit_sha: is missing');
      return {
        events: [
          {
            kind: 'change',
            repo,
            sha,
            committedAt: parseTime(
              mr.created_at,
              'object_attributes.created_at',
            ),
            landedAt:
              optionalTime(mr.merged_at, 'object_attributes.merged_at') ??
              parseTime(
                mr.updated_at ?? receivedAt,
                'object_attributes.updated_at',
              ),
            pullRequest: mr.iid,
            title: mr.title,
          },
        ],
      };
    }
    case 'deployment': {
      const status = GITLAB_DEPLOYMENT_STATUS.get(body.status);
      if (!status)
        return {
          ignored: `deployment ${clip(
            body.status,
          )} does not decide a deployment's outcome`,
        };
      return {
        events: [
          {
            kind: 'deployment',
            externalId: String(body.deployment_id),
            repo,
            environment: body.environment,
            production: body.environment_tier
              ? body.environment_tier === 'production'
              : undefined,
            status,
            sha: body.short_sha && !body.sha ? body.short_sha : body.sha,
            ref: body.ref,
            at: parseTime(body.status_changed_at, 'status_changed_at'),
            url: body.deployable_url ?? undefined,
            rollback: containsWord(textOf(body.ref), 'rollback'),
          },
        ],
      };
    }
    case 'issue':
    case 'work_item': {
      const issue = body.object_attributes ?? {};
      if (
        issue.issue_type !== 'incident' &&
        issue.type !== 'Incident' &&
        !hasIncidentLabel(
          body.labels ?? issue.labels,
          'title',
          options.incidentLabels,
        )
      ) {
        return { ignored: 'issue is neither an incident nor labelled as one' };
      }
      return {
        events: [
          {
            kind: 'incident',
            externalId: `${repo}#${issue.iid}`,
            repo,
            title: issue.title,
            startedAt: parseTime(
              issue.created_at,
              'object_attributes.created_at',
            ),
            resolvedAt:
              issue.state === 'closed'
                ? parseTime(
                    issue.closed_at ?? issue.updated_at,
                    'object_attributes.closed_at',
                  )
                : null,
            url: issue.url,
            ...incidentReferences(issue.description),
          },
        ],
      };
    }
    default:
      return {
        ignored: `GitLab event ${clip(
          kind ?? 'without object_kind',
        )} is not used for DORA metrics`,
      };
  }
}
