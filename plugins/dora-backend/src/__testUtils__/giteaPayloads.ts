/*
 * Gitea webhook deliveries as Gitea 1.27 sends them (modules/structs: PushPayload,
 * PullRequestPayload, IssuePayload, ReleasePayload, with the fields around the ones the normaliser
 * reads; the headers of services/webhook/deliver.go), for the tests that send realistic Gitea
 * events, and the adversarial Gitea bodies of ingest/adversarial.gitea.test.ts. Times are hours
 * after `base`. For tests only (production code must not import src/__testUtils__/).
 */
import { createHmac, randomUUID } from 'node:crypto';
import {
  AdversarialCase,
  INCIDENT_TEXTS,
  T,
  TITLE_TEXTS,
} from './adversarialBodies';
import type { DoraTestBackend } from './doraBackend';

export interface GiteaDelivery {
  /** X-Gitea-Event */
  event: string;
  /** X-Gitea-Delivery: a UUID per hook task */
  id: string;
  body: Record<string, unknown>;
}

export function giteaPayloads(repoFullName: string, base: Date) {
  const at = (h: number) =>
    new Date(base.getTime() + h * 3600_000).toISOString();
  const [ownerName, name] = repoFullName.split('/');
  const html = `http://localhost:3000/${repoFullName}`;
  const user = { id: 1, login: 'dev', full_name: 'Dev', email: 'dev@acme' };
  const repository = {
    id: 4,
    owner: { id: 2, login: ownerName, username: ownerName },
    name,
    full_name: repoFullName,
    html_url: html,
    clone_url: `${html}.git`,
    default_branch: 'main',
    private: false,
    updated_at: at(0),
  };
  const delivery = (event: string, body: Record<string, unknown>) => ({
    event,
    id: randomUUID(),
    body: { ...body, repository, sender: user },
  });
  return {
    at,
    /** A push of commits [sha, hours, message] (newest last, as Gitea lists them). */
    push(
      commits: [string, number, string?][],
      ref = 'refs/heads/main',
    ): GiteaDelivery {
      const payloadCommits = commits.map(([id, h, message]) => ({
        id,
        message: `${message ?? `change ${id.slice(0, 7)}`}\n`,
        url: `${html}/commit/${id}`,
        author: { name: 'Dev', email: 'dev@acme', username: 'dev' },
        committer: { name: 'Dev', email: 'dev@acme', username: 'dev' },
        verification: null,
        timestamp: at(h),
        added: [],
        removed: [],
        modified: ['src/index.js'],
      }));
      return delivery('push', {
        ref,
        before: '0'.repeat(40),
        after: commits[commits.length - 1]?.[0] ?? '0'.repeat(40),
        compare_url: `${html}/compare/${'0'.repeat(40)}...`,
        commits: payloadCommits,
        total_commits: commits.length,
        head_commit: payloadCommits[payloadCommits.length - 1] ?? null,
        pusher: user,
      });
    },
    /** A pull request merged: action closed, merged true, as Gitea's MergePullRequest sends it. */
    mergedPullRequest(
      number: number,
      mergeSha: string,
      openedH: number,
      mergedH: number,
      title = `PR ${number}`,
    ): GiteaDelivery {
      return delivery('pull_request', {
        action: 'closed',
        number,
        pull_request: {
          id: 100 + number,
          url: `${html}/pulls/${number}`,
          number,
          user,
          title,
          body: '',
          labels: [],
          state: 'closed',
          html_url: `${html}/pulls/${number}`,
          mergeable: true,
          merged: true,
          merged_at: at(mergedH),
          merge_commit_sha: mergeSha,
          merged_by: user,
          base: { label: 'main', ref: 'main', sha: '1'.repeat(40) },
          head: { label: 'feature', ref: 'feature', sha: '2'.repeat(40) },
          merge_base: '1'.repeat(40),
          created_at: at(openedH),
          updated_at: at(mergedH),
          closed_at: at(mergedH),
        },
        requested_reviewer: null,
        commit_id: '',
        review: null,
      });
    },
    /** An issues event; labelled Incident (capitalised, as Gitea users write it) unless labels are given. */
    issue(
      number: number,
      opts: {
        openedH: number;
        closedH?: number;
        body?: string;
        labels?: string[];
        action?: string;
      },
    ): GiteaDelivery {
      const closed = opts.closedH !== undefined;
      return delivery('issues', {
        action: opts.action ?? (closed ? 'closed' : 'label_updated'),
        number,
        issue: {
          id: 200 + number,
          url: `${html}/issues/${number}`,
          html_url: `${html}/issues/${number}`,
          number,
          user,
          title: `Incident ${number}`,
          body: opts.body ?? '',
          ref: '',
          labels: (opts.labels ?? ['Incident']).map((label, i) => ({
            id: i + 1,
            name: label,
            exclusive: false,
            is_archived: false,
            color: 'ee0701',
            description: '',
            url: `${html}/labels/${i + 1}`,
          })),
          state: closed ? 'closed' : 'open',
          comments: 0,
          created_at: at(opts.openedH),
          updated_at: at(opts.closedH ?? opts.openedH),
          closed_at: closed ? at(opts.closedH!) : null,
          due_date: null,
          pull_request: null,
          repository: {
            id: 4,
            name,
            owner: ownerName,
            full_name: repoFullName,
          },
        },
        commit_id: '',
      });
    },
    /** A release event (published unless `action` says otherwise). */
    release(
      id: number,
      opts: {
        atH: number;
        tag: string;
        target?: string;
        name?: string;
        action?: string;
        draft?: boolean;
        prerelease?: boolean;
      },
    ): GiteaDelivery {
      return delivery('release', {
        action: opts.action ?? 'published',
        release: {
          id,
          tag_name: opts.tag,
          target_commitish: opts.target ?? 'main',
          name: opts.name ?? opts.tag,
          body: '',
          url: `http://localhost:3000/api/v1/repos/${repoFullName}/releases/${id}`,
          html_url: `${html}/releases/tag/${opts.tag}`,
          tarball_url: `${html}/archive/${opts.tag}.tar.gz`,
          zipball_url: `${html}/archive/${opts.tag}.zip`,
          upload_url: `http://localhost:3000/api/v1/repos/${repoFullName}/releases/${id}/assets`,
          draft: opts.draft ?? false,
          prerelease: opts.prerelease ?? false,
          created_at: at(opts.atH),
          published_at: at(opts.atH),
          author: user,
          assets: [],
        },
      });
    },
  };
}

/** X-Gitea-Signature: the hex HMAC-SHA256 of the body, without a prefix. */
export const giteaSignature = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('hex');

/**
 * POSTs a Gitea delivery to a source with Gitea's headers (X-Gitea-*, and the X-Hub-Signature-256
 * and X-GitHub-* copies Gitea also sends), signed with `secret` unless `signature` is given (null:
 * no X-Gitea-Signature at all).
 */
export function sendGitea(
  dora: Pick<DoraTestBackend, 'api'>,
  source: string,
  secret: string,
  d: GiteaDelivery,
  signature?: string | null,
) {
  const body = JSON.stringify(d.body);
  const hex = giteaSignature(secret, body);
  const r = dora
    .api()
    .post(`/api/dora/webhooks/${source}`)
    .set('Content-Type', 'application/json')
    .set('X-Gitea-Delivery', d.id)
    .set('X-Gitea-Event', d.event)
    .set('X-Gitea-Event-Type', d.event)
    .set('X-Hub-Signature-256', `sha256=${hex}`)
    .set('X-GitHub-Delivery', d.id)
    .set('X-GitHub-Event', d.event);
  if (signature !== null) r.set('X-Gitea-Signature', signature ?? hex);
  return r.send(body);
}

const g = giteaPayloads('acme/node-hello', new Date(T));
const bodyOf = (d: GiteaDelivery) => d.body;

/** Adversarial Gitea bodies: the text of adversarialBodies.ts in every field the normaliser scans. */
export function giteaAdversarialCases(): AdversarialCase[] {
  const cases: AdversarialCase[] = [];
  const add = (
    name: string,
    eventType: string,
    make: (t: string) => object,
    texts: [string, string, string?][],
  ) => {
    for (const [what, unit, tail] of texts)
      cases.push({
        name: `${name}: ${what}`,
        sourceType: 'gitea',
        eventType,
        make,
        unit,
        tail,
      });
  };
  add(
    'Gitea issue body',
    'issues',
    t => bodyOf(g.issue(7, { openedH: 0, closedH: 1, body: t })),
    INCIDENT_TEXTS,
  );
  const titles = [...INCIDENT_TEXTS.slice(0, 1), ...TITLE_TEXTS];
  add(
    'Gitea pull request title',
    'pull_request',
    t => bodyOf(g.mergedPullRequest(3, 'a'.repeat(40), 0, 1, t)),
    titles,
  );
  add(
    'Gitea commit message',
    'push',
    t => bodyOf(g.push([['b'.repeat(40), 0, t]])),
    titles,
  );
  add(
    'Gitea release name, tag and target',
    'release',
    t => bodyOf(g.release(9, { atH: 0, tag: t, target: t, name: t })),
    titles,
  );
  return cases;
}
