import { Normalized, parseTime, SourceOptions, textOf } from './events';
import { normalizeGithub } from './github';
import { clip, containsWord } from './text';

/**
 * Gitea (and Forgejo) webhook payloads (X-Gitea-Event) to normalised events. Gitea's push,
 * pull_request and issues payloads have GitHub's shape in every field the GitHub normaliser reads
 * (Gitea 1.27's modules/structs: PushPayload, PullRequestPayload, IssuePayload), so those events go
 * through it unchanged:
 *  - push to the default branch: one change per commit; Gitea's repository has no pushed_at, so a
 *    change lands when the push is received. Gitea sends at most `[ui] FEED_MAX_COMMIT_NUM` (default
 *    5) of a push's commits (total_commits counts them all): only those become changes;
 *  - pull_request closed and merged (a merge sends action closed with merged true): a change for
 *    the merge commit, whose lead time starts when the pull request was opened;
 *  - issues (Gitea sends label, assignee and milestone changes as issues events too) carrying an
 *    incident label: the incident.
 * Gitea has no deployments: a published release that is neither a draft nor a pre-release is a
 * successful production deployment of its tag (see normalizeGiteaRelease). Anything else is ignored
 * with the reason.
 */
export function normalizeGitea(
  eventType: string,
  body: any,
  receivedAt: number,
  options: SourceOptions,
): Normalized {
  switch (eventType) {
    case 'push':
    case 'pull_request':
    case 'issues':
      return normalizeGithub(eventType, body, receivedAt, options);
    case 'release':
      return normalizeGiteaRelease(body);
    default:
      return {
        ignored: `Gitea event ${clip(eventType)} is not used for DORA metrics`,
      };
  }
}

/** A full commit sha (40 hex digits, as Gitea writes it), read without a regular expression. */
function isFullSha(text: string): boolean {
  if (text.length !== 40) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * A release event (ReleasePayload: action published, updated or deleted): `published` (sent once,
 * when a release is created or a draft is published) of a release that is neither a draft nor a
 * pre-release is a successful production deployment. Its id is the release's id (unique in the
 * Gitea instance, as GitHub's deployment ids are), so an incident names it with `Deployment: <id>`;
 * its ref is the tag, and its sha the target when the target is a commit rather than a branch
 * (otherwise the changes landed before the release's time go with it). A rollback when its name
 * says so. The release notes are not read.
 */
export function normalizeGiteaRelease(body: any): Normalized {
  const release = body?.release;
  if (!release || typeof release !== 'object')
    throw new Error('release: is missing');
  if (body.action !== 'published')
    return {
      ignored: `release ${clip(body.action)} does not publish a release`,
    };
  if (release.draft === true)
    return { ignored: 'a draft release is not a deployment' };
  if (release.prerelease === true)
    return { ignored: 'a pre-release is not a production deployment' };
  const repo: string | undefined = body.repository?.full_name;
  if (!repo) throw new Error('repository.full_name: is missing');
  if (!Number.isSafeInteger(release.id))
    throw new Error(
      `release.id: must be a whole number, got ${clip(release.id)}`,
    );
  const target = textOf(release.target_commitish);
  const name = textOf(release.name);
  return {
    events: [
      {
        kind: 'deployment',
        externalId: String(release.id),
        repo,
        environment: 'production',
        production: true,
        status: 'success',
        sha: isFullSha(target) ? target : undefined,
        ref: textOf(release.tag_name) || undefined,
        description: name || undefined,
        at: parseTime(
          release.published_at ?? release.created_at,
          'release.published_at',
        ),
        url: textOf(release.html_url) || undefined,
        rollback: containsWord(name, 'rollback'),
      },
    ],
  };
}
