/*
 * Gitea (and Forgejo) payloads, as Gitea 1.27 sends them (src/__testUtils__/giteaPayloads.ts),
 * through the gitea source type's normaliser; and incident labels, matched without regard to case
 * by every source type's normaliser.
 */
import { giteaPayloads } from '../__testUtils__/giteaPayloads';
import { normalizeGitea } from './gitea';
import { normalizeGithub } from './github';
import { normalizeGitlab } from './gitlab';
import { normalizeDelivery } from './normalize';

const base = new Date('2026-03-01T00:00:00Z');
const g = giteaPayloads('acme/node-hello', base);
const h = (hours: number) => base.getTime() + hours * 3600_000;
const opts = { incidentLabels: ['incident'] };
const RECEIVED = h(5);
const gitea = (d: { event: string; body: unknown }, options = opts) =>
  normalizeDelivery(
    {
      sourceType: 'gitea',
      eventType: d.event,
      payload: JSON.stringify(d.body),
      receivedAt: RECEIVED,
    },
    options,
  );
const sha = (c: string) => c.repeat(40);

describe('Gitea payloads', () => {
  it('turns a push to the default branch into one change per commit, landed when received (Gitea sends no pushed_at)', () => {
    expect(
      gitea(
        g.push([
          [sha('a'), 1, 'Add health check'],
          [sha('b'), 2],
        ]),
      ),
    ).toEqual({
      events: [
        {
          kind: 'change',
          repo: 'acme/node-hello',
          sha: sha('a'),
          committedAt: h(1),
          landedAt: RECEIVED,
          title: 'Add health check',
        },
        expect.objectContaining({ sha: sha('b'), committedAt: h(2) }),
      ],
    });
    expect(gitea(g.push([[sha('c'), 1]], 'refs/heads/feature'))).toEqual({
      ignored: 'push to refs/heads/feature, not the default branch main',
    });
    expect(gitea(g.push([[sha('c'), 1]], 'refs/tags/v1.0.0'))).toEqual({
      ignored: 'push to refs/tags/v1.0.0, not the default branch main',
    });
  });

  it('turns a merged pull request into its merge commit, timed from when it was opened; other actions are not merges', () => {
    expect(
      gitea(g.mergedPullRequest(4, sha('d'), 1, 3, 'Add metrics')),
    ).toEqual({
      events: [
        {
          kind: 'change',
          repo: 'acme/node-hello',
          sha: sha('d'),
          committedAt: h(1),
          landedAt: h(3),
          pullRequest: 4,
          title: 'Add metrics',
        },
      ],
    });
    const synced = g.mergedPullRequest(5, sha('e'), 1, 3);
    (synced.body as any).action = 'synchronized';
    (synced.body as any).pull_request.merged = false;
    expect(gitea(synced)).toEqual({
      ignored: 'pull_request synchronized is not a merge',
    });
  });

  it('takes an issue labelled Incident as an incident, resolved when closed, with its references', () => {
    const opened = g.issue(12, {
      openedH: 1,
      body: `Errors after the release\nDeployment: 9\nRoot-cause: ${sha(
        'a',
      ).slice(0, 10)}`,
    });
    expect(gitea(opened)).toEqual({
      events: [
        {
          kind: 'incident',
          externalId: 'acme/node-hello#12',
          repo: 'acme/node-hello',
          title: 'Incident 12',
          startedAt: h(1),
          resolvedAt: null,
          url: 'http://localhost:3000/acme/node-hello/issues/12',
          deploymentRef: '9',
          rootCauseSha: sha('a').slice(0, 10),
        },
      ],
    });
    expect(gitea(g.issue(12, { openedH: 1, closedH: 4 }))).toEqual({
      events: [expect.objectContaining({ resolvedAt: h(4) })],
    });
    expect(gitea(g.issue(13, { openedH: 1, labels: ['bug'] }))).toEqual({
      ignored: 'issue is not labelled as an incident (incident)',
    });
  });

  it('takes a published release as a successful production deployment of its tag', () => {
    expect(
      gitea(g.release(9, { atH: 4, tag: 'v1.2.0', name: 'Spring release' })),
    ).toEqual({
      events: [
        {
          kind: 'deployment',
          externalId: '9',
          repo: 'acme/node-hello',
          environment: 'production',
          production: true,
          status: 'success',
          sha: undefined,
          ref: 'v1.2.0',
          description: 'Spring release',
          at: h(4),
          url: 'http://localhost:3000/acme/node-hello/releases/tag/v1.2.0',
          rollback: false,
        },
      ],
    });
    // a target that is a commit is the deployment's sha; a name that says rollback is a rollback
    expect(
      gitea(
        g.release(10, {
          atH: 5,
          tag: 'v1.2.1',
          target: sha('f'),
          name: 'Rollback to v1.1',
        }),
      ),
    ).toEqual({
      events: [
        expect.objectContaining({ sha: sha('f'), rollback: true, at: h(5) }),
      ],
    });
  });

  it('ignores releases that publish nothing to production, with the reason', () => {
    for (const [opts2, reason] of [
      [{ draft: true }, 'a draft release is not a deployment'],
      [{ prerelease: true }, 'a pre-release is not a production deployment'],
      [{ action: 'updated' }, 'release updated does not publish a release'],
      [{ action: 'deleted' }, 'release deleted does not publish a release'],
    ] as const)
      expect(gitea(g.release(11, { atH: 1, tag: 'v2', ...opts2 }))).toEqual({
        ignored: reason,
      });
  });

  it('refuses a release without what a deployment needs, naming the field', () => {
    const noId = g.release(12, { atH: 1, tag: 'v3' });
    (noId.body as any).release.id = 'x'.repeat(500);
    expect(() => gitea(noId)).toThrow(
      /^release\.id: must be a whole number, got x{100}… \(500 characters\)$/,
    );
    expect(() =>
      normalizeGitea('release', { action: 'published' }, 0, opts),
    ).toThrow('release: is missing');
    const badTime = g.release(13, { atH: 1, tag: 'v4' });
    (badTime.body as any).release.published_at = 'soon';
    expect(() => gitea(badTime)).toThrow(
      'release.published_at: must be a time, got "soon"',
    );
  });

  it('ignores the events DORA does not use, including deployments Gitea never sends', () => {
    for (const event of ['create', 'issue_comment', 'deployment_status'])
      expect(normalizeGitea(event, {}, 0, opts)).toEqual({
        ignored: `Gitea event ${event} is not used for DORA metrics`,
      });
  });
});

describe('incident labels, for every source type', () => {
  it('match without regard to case (Incident and incident are the same label)', () => {
    const labelled = (labels: string[], incidentLabels: string[]) => ({
      gitea: gitea(g.issue(1, { openedH: 0, labels }), { incidentLabels }),
      github: normalizeGithub(
        'issues',
        {
          issue: {
            number: 1,
            labels: labels.map(name => ({ name })),
            created_at: base.toISOString(),
          },
          repository: { full_name: 'acme/payments-api' },
        },
        0,
        { incidentLabels },
      ),
      gitlab: normalizeGitlab(
        {
          object_kind: 'issue',
          project: { path_with_namespace: 'acme/ui-kit' },
          object_attributes: { iid: 1, created_at: base.toISOString() },
          labels: labels.map(title => ({ title })),
        },
        0,
        { incidentLabels },
      ),
    });
    for (const [labels, incidentLabels] of [
      [['Incident'], ['incident']],
      [['INCIDENT', 'bug'], ['incident']],
      [['incident'], ['Incident']],
      [['Sev-1'], ['incident', 'sev-1']],
    ])
      for (const [source, n] of Object.entries(
        labelled(labels, incidentLabels),
      ))
        expect({ source, labels, n }).toEqual({
          source,
          labels,
          n: { events: [expect.objectContaining({ kind: 'incident' })] },
        });
    for (const n of Object.values(labelled(['incidents'], ['incident'])))
      expect(n).toHaveProperty('ignored');
  });
});
