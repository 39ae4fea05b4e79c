import { normalizeCdevent } from './cdevents';
import { incidentReferences, isRevert } from './events';
import { normalizeGitlab } from './gitlab';

const opts = { incidentLabels: ['incident'] };

describe('GitLab payloads', () => {
  it('turns a merged merge request into its squash commit, timed from when it was opened', () => {
    expect(
      normalizeGitlab(
        {
          object_kind: 'merge_request',
          project: { path_with_namespace: 'acme/ui-kit' },
          object_attributes: {
            action: 'merge',
            iid: 12,
            title: 'Buttons',
            created_at: '2026-03-01 08:00:00 UTC',
            merged_at: '2026-03-01 10:00:00 UTC',
            squash_commit_sha: 'abc1234',
          },
        },
        0,
        opts,
      ),
    ).toEqual({
      events: [
        {
          kind: 'change',
          repo: 'acme/ui-kit',
          sha: 'abc1234',
          committedAt: Date.parse('2026-03-01T08:00:00Z'),
          landedAt: Date.parse('2026-03-01T10:00:00Z'),
          pullRequest: 12,
          title: 'Buttons',
        },
      ],
    });
  });

  it('takes incidents by issue type, ignores other issues and pushes to other branches', () => {
    const incident = normalizeGitlab(
      {
        object_kind: 'issue',
        project: { path_with_namespace: 'acme/ui-kit' },
        object_attributes: {
          iid: 3,
          issue_type: 'incident',
          title: 'Down',
          state: 'closed',
          created_at: '2026-03-01T08:00:00Z',
          closed_at: '2026-03-01T09:30:00Z',
          description: 'Root-cause: abcdef1',
        },
      },
      0,
      opts,
    );
    expect(incident).toEqual({
      events: [
        expect.objectContaining({
          kind: 'incident',
          externalId: 'acme/ui-kit#3',
          resolvedAt: Date.parse('2026-03-01T09:30:00Z'),
          rootCauseSha: 'abcdef1',
        }),
      ],
    });
    expect(
      normalizeGitlab(
        { object_kind: 'issue', object_attributes: { issue_type: 'issue' } },
        0,
        opts,
      ),
    ).toEqual({ ignored: 'issue is neither an incident nor labelled as one' });
    expect(
      normalizeGitlab(
        {
          object_kind: 'push',
          ref: 'refs/heads/feature',
          project: { path_with_namespace: 'a/b', default_branch: 'main' },
        },
        0,
        opts,
      ),
    ).toEqual({
      ignored: 'push to refs/heads/feature, not the default branch main',
    });
  });
});

describe('CDEvents', () => {
  const ctx = (type: string) => ({
    id: 'e1',
    source: 'ci',
    type,
    timestamp: '2026-03-01T10:00:00Z',
  });
  it('reads a rollback, an incident resolution and a merged change', () => {
    expect(
      normalizeCdevent({
        context: ctx('dev.cdevents.service.rolledback.0.2.0'),
        subject: {
          id: 'checkout-web',
          content: { environment: { id: 'prod' } },
        },
      }),
    ).toEqual({
      events: [
        expect.objectContaining({
          kind: 'deployment',
          service: 'checkout-web',
          environment: 'prod',
          rollback: true,
          status: 'success',
        }),
      ],
    });
    expect(
      normalizeCdevent({
        context: ctx('dev.cdevents.incident.resolved.0.2.0'),
        subject: { id: 'INC-9', content: { service: { id: 'checkout-web' } } },
      }),
    ).toEqual({
      events: [
        expect.objectContaining({
          kind: 'incident',
          externalId: 'INC-9',
          service: 'checkout-web',
          resolvedAt: Date.parse('2026-03-01T10:00:00Z'),
        }),
      ],
    });
    expect(
      normalizeCdevent({
        context: ctx('dev.cdevents.change.merged.0.2.0'),
        subject: {
          id: 'abcdef12',
          content: { repository: { id: 'acme/ui-kit' } },
        },
      }),
    ).toEqual({
      events: [
        expect.objectContaining({
          kind: 'change',
          repo: 'acme/ui-kit',
          sha: 'abcdef12',
        }),
      ],
    });
    expect(
      normalizeCdevent({
        context: ctx('dev.cdevents.pipelinerun.started.0.2.0'),
      }),
    ).toEqual({
      ignored: 'CDEvent pipelinerun.started is not used for DORA metrics',
    });
  });

  it('reads an upgrade as a deployment (sha from the artifact) and a detected incident as open, with its cause', () => {
    expect(
      normalizeCdevent({
        context: ctx('dev.cdevents.service.upgraded.0.2.0'),
        subject: {
          id: 'checkout-web',
          content: {
            environment: { id: 'production' },
            artifactId:
              'pkg:oci/checkout-web@0123456789abcdef0123456789abcdef01234567',
          },
        },
        customData: { incident: 'INC-8' },
      }),
    ).toEqual({
      events: [
        {
          kind: 'deployment',
          externalId: 'e1',
          service: 'checkout-web',
          repo: undefined,
          environment: 'production',
          production: undefined,
          status: 'success',
          sha: '0123456789abcdef0123456789abcdef01234567',
          at: Date.parse('2026-03-01T10:00:00Z'),
          rollback: false,
          incidentRef: 'INC-8',
        },
      ],
    });
    const detected = normalizeCdevent({
      context: ctx('dev.cdevents.incident.detected.0.2.0'),
      subject: {
        id: 'INC-10',
        content: {
          service: { id: 'checkout-web' },
          description: 'Checkout errors',
        },
      },
      customData: { deployment: 'e1', rootCauseSha: 'abcdef1' },
    });
    expect(detected).toEqual({
      events: [
        expect.objectContaining({
          kind: 'incident',
          externalId: 'INC-10',
          service: 'checkout-web',
          title: 'Checkout errors',
          startedAt: Date.parse('2026-03-01T10:00:00Z'),
          deploymentRef: 'e1',
          rootCauseSha: 'abcdef1',
        }),
      ],
    });
    expect((detected as any).events[0].resolvedAt).toBeUndefined();
    expect(() =>
      normalizeCdevent({
        context: ctx('dev.cdevents.service.upgraded.0.2.0'),
        subject: { id: 'checkout-web', content: {} },
      }),
    ).toThrow('subject.content.environment.id: is missing');
  });
});

describe('event text', () => {
  it('recognises reverts and incident references', () => {
    expect(isRevert('Revert "Add refunds"')).toBe(true);
    expect(isRevert('Fix\n\nThis reverts commit 0123456789abcdef.')).toBe(true);
    expect(isRevert('Reverse the list')).toBe(false);
    expect(
      incidentReferences('Checkout down\nDeployment: 42\nroot cause: deadbeef'),
    ).toEqual({ deploymentRef: '42', rootCauseSha: 'deadbeef' });
  });
});
