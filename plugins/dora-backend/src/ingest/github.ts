import {
  ChangeEvent,
  hasIncidentLabel,
  incidentReferences,
  Normalized,
  optionalTime,
  parseTime,
  SourceOptions,
  textOf,
} from './events';
import { clip, containsWord, firstLine } from './text';

/**
 * GitHub webhook payloads (X-GitHub-Event) to normalised events:
 *  - push to the default branch: one change per commit (commit time; landed when pushed);
 *  - pull_request closed and merged: a change for the merge commit (merge, squash or rebase), whose
 *    lead time starts when the pull request was opened;
 *  - deployment (created) and deployment_status (success, failure, error): the deployment;
 *  - issues carrying an incident label: the incident (opened when the issue was, resolved when closed).
 * Anything else is ignored with the reason.
 */
export function normalizeGithub(
  eventType: string,
  body: any,
  receivedAt: number,
  options: SourceOptions,
): Normalized {
  const repo: string | undefined = body?.repository?.full_name;
  switch (eventType) {
    case 'push': {
      if (!repo) throw new Error('repository.full_name: is missing');
      const branch =
        body.repository.default_branch ?? body.repository.master_branch;
      if (body.ref !== `refs/heads/${branch}`)
        return {
          ignored: `push to ${clip(body.ref)}, not the default branch ${clip(
            branch,
          )}`,
        };
      if (body.deleted) return { ignored: 'push deleted the branch' };
      const landedAt =
        optionalTime(body.repository.pushed_at, 'repository.pushed_at') ??
        receivedAt;
      const events: ChangeEvent[] = (body.commits ?? []).map((c: any) => ({
        kind: 'change',
        repo,
        sha: c.id,
        committedAt: parseTime(c.timestamp, 'commits[].timestamp'),
        landedAt,
        title: firstLine(String(c.message ?? '')),
      }));
      return events.length ? { events } : { ignored: 'push without commits' };
    }
    case 'pull_request': {
      const pr = body.pull_request;
      if (body.action !== 'closed' || !pr?.merged)
        return { ignored: `pull_request ${clip(body.action)} is not a merge` };
      if (!repo) throw new Error('repository.full_name: is missing');
      return {
        events: [
          {
            kind: 'change',
            repo,
            sha: pr.merge_commit_sha,
            committedAt: parseTime(pr.created_at, 'pull_request.created_at'),
            landedAt: parseTime(pr.merged_at, 'pull_request.merged_at'),
            pullRequest: pr.number,
            title: pr.title,
          },
        ],
      };
    }
    case 'deployment':
    case 'deployment_status': {
      const d = body.deployment;
      if (!d) throw new Error('deployment: is missing');
      let status: 'success' | 'failure' | 'pending' = 'pending';
      let at = parseTime(d.created_at, 'deployment.created_at');
      if (eventType === 'deployment_status') {
        const state = body.deployment_status?.state;
        if (state === 'success') status = 'success';
        else if (state === 'failure' || state === 'error') status = 'failure';
        else
          return {
            ignored: `deployment_status ${clip(
              state,
            )} does not decide a deployment's outcome`,
          };
        at = parseTime(
          body.deployment_status.created_at ??
            body.deployment_status.updated_at,
          'deployment_status.created_at',
        );
      } else if (body.action && body.action !== 'created') {
        return { ignored: `deployment ${clip(body.action)}` };
      }
      const payload =
        typeof d.payload === 'object' && d.payload ? d.payload : {};
      return {
        events: [
          {
            kind: 'deployment',
            externalId: String(d.id),
            repo,
            environment: d.environment,
            production:
              typeof d.production_environment === 'boolean'
                ? d.production_environment
                : undefined,
            status,
            sha: d.sha,
            ref: d.ref,
            description: d.description ?? undefined,
            at,
            url:
              body.deployment_status?.target_url ||
              body.deployment_status?.environment_url ||
              undefined,
            rollback:
              payload.rollback === true ||
              containsWord(textOf(d.description), 'rollback') ||
              d.task === 'rollback',
            incidentRef: payload.incident
              ? String(payload.incident)
              : undefined,
          },
        ],
      };
    }
    case 'issues': {
      const issue = body.issue;
      if (!issue) throw new Error('issue: is missing');
      if (!hasIncidentLabel(issue.labels, 'name', options.incidentLabels)) {
        return {
          ignored: `issue is not labelled as an incident (${options.incidentLabels.join(
            ', ',
          )})`,
        };
      }
      const refs = incidentReferences(issue.body);
      return {
        events: [
          {
            kind: 'incident',
            externalId: `${repo}#${issue.number}`,
            repo,
            title: issue.title,
            startedAt: parseTime(issue.created_at, 'issue.created_at'),
            resolvedAt:
              issue.state === 'closed'
                ? parseTime(issue.closed_at, 'issue.closed_at')
                : null,
            url: issue.html_url,
            ...refs,
          },
        ],
      };
    }
    default:
      return {
        ignored: `GitHub event ${clip(eventType)} is not used for DORA metrics`,
      };
  }
}
