/*
 * GitHub webhook payloads as GitHub sends them (the fields the normaliser reads, and a few
 * around them): the demo seeder's history, and the tests and the benchmark that send realistic
 * events.
 * Times are hours after `base`.
 */
export interface GithubDelivery {
  event: string;
  id: string;
  body: Record<string, unknown>;
}

let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export function githubPayloads(repoFullName: string, base: Date) {
  const at = (h: number) =>
    new Date(base.getTime() + h * 3600_000).toISOString();
  const repository = (extra: Record<string, unknown> = {}) => ({
    id: 1296269,
    full_name: repoFullName,
    name: repoFullName.split('/')[1],
    default_branch: 'main',
    html_url: `https://github.example/${repoFullName}`,
    ...extra,
  });
  return {
    at,
    /** A push to main of commits [sha, hours, message], pushed at `pushedH`. */
    push(
      commits: [string, number, string?][],
      pushedH: number,
      ref = 'refs/heads/main',
    ): GithubDelivery {
      return {
        event: 'push',
        id: nextId('push'),
        body: {
          ref,
          before: '0'.repeat(40),
          after: commits[commits.length - 1]?.[0],
          repository: repository({
            pushed_at: Math.floor((base.getTime() + pushedH * 3600_000) / 1000),
          }),
          commits: commits.map(([id, h, message]) => ({
            id,
            timestamp: at(h),
            message: message ?? `change ${id.slice(0, 7)}`,
            distinct: true,
          })),
          head_commit: commits.length
            ? { id: commits[commits.length - 1][0] }
            : null,
          pusher: { name: 'dev' },
        },
      };
    },
    /** A pull request closed and merged (squash: mergeSha is the squashed commit). */
    mergedPullRequest(
      number: number,
      mergeSha: string,
      openedH: number,
      mergedH: number,
      title = `PR ${number}`,
    ): GithubDelivery {
      return {
        event: 'pull_request',
        id: nextId('pr'),
        body: {
          action: 'closed',
          number,
          pull_request: {
            number,
            title,
            merged: true,
            merge_commit_sha: mergeSha,
            created_at: at(openedH),
            merged_at: at(mergedH),
            base: { ref: 'main' },
          },
          repository: repository(),
        },
      };
    },
    /** A deployment_status event (the deployment inside it, as GitHub sends it). */
    deploymentStatus(
      deploymentId: number,
      opts: {
        sha: string;
        environment?: string;
        state?: string;
        atH: number;
        createdH?: number;
        payload?: Record<string, unknown>;
        description?: string;
        ref?: string;
      },
    ): GithubDelivery {
      const environment = opts.environment ?? 'production';
      return {
        event: 'deployment_status',
        id: nextId('ds'),
        body: {
          action: 'created',
          deployment_status: {
            id: deploymentId * 10,
            state: opts.state ?? 'success',
            created_at: at(opts.atH),
            environment,
            target_url: '',
          },
          deployment: {
            id: deploymentId,
            sha: opts.sha,
            ref: opts.ref ?? 'main',
            task: 'deploy',
            environment,
            production_environment: environment === 'production',
            description: opts.description ?? null,
            payload: opts.payload ?? {},
            created_at: at(opts.createdH ?? opts.atH - 0.1),
          },
          repository: repository(),
        },
      };
    },
    /** An issue event; labelled incident unless labels are given. */
    issue(
      number: number,
      opts: {
        openedH: number;
        closedH?: number;
        body?: string;
        labels?: string[];
        action?: string;
      },
    ): GithubDelivery {
      return {
        event: 'issues',
        id: nextId('issue'),
        body: {
          action:
            opts.action ?? (opts.closedH !== undefined ? 'closed' : 'labeled'),
          issue: {
            number,
            title: `Incident ${number}`,
            body: opts.body ?? '',
            state: opts.closedH !== undefined ? 'closed' : 'open',
            created_at: at(opts.openedH),
            closed_at: opts.closedH !== undefined ? at(opts.closedH) : null,
            labels: (opts.labels ?? ['incident']).map(name => ({ name })),
            html_url: `https://github.example/${repoFullName}/issues/${number}`,
          },
          repository: repository(),
        },
      };
    },
  };
}
