import { ChangeRow, DeploymentRow, IncidentRow } from '../store/rows';
import { linkSubject } from './link';

const H = 3600_000;
const dep = (
  id: string,
  h: number,
  sha?: string,
  extra: Partial<DeploymentRow> = {},
): DeploymentRow => ({
  id,
  subject: 'component:default/a',
  production: true,
  status: 'success',
  counted: true,
  sha,
  deployedAt: h * H,
  rollback: false,
  ...extra,
});
const change = (
  sha: string,
  committedH: number,
  landedH: number,
  extra: Partial<ChangeRow> = {},
): ChangeRow => ({
  id: `acme/a@${sha}`,
  sha,
  committedAt: committedH * H,
  landedAt: landedH * H,
  revert: false,
  hotfix: false,
  ...extra,
});
const incident = (
  id: string,
  startedH: number,
  extra: Partial<IncidentRow> = {},
): IncidentRow => ({ id, startedAt: startedH * H, ...extra });

describe('linkSubject', () => {
  it('gives the first deployment only the changes of the look-back, not all of history', () => {
    // look-back 48 h before the cut-off (c3 landed at 100 h): c2 (60 h) and c3 count; c1 (10 h) is history
    const r = linkSubject(
      {
        deployments: [dep('d1', 101, 'c3')],
        changes: [
          change('c1', 9, 10),
          change('c2', 59, 60),
          change('c3', 99, 100),
        ],
        incidents: [],
      },
      { firstDeploymentLookbackMs: 48 * H, incidentWindowMs: 24 * H },
    );
    expect(
      r.changeLinks.map(l => [l.changeId, l.linkedBy, l.leadTimeMs / H]),
    ).toEqual([
      ['acme/a@c2', 'first-deployment', 42], // 101 - 59
      ['acme/a@c3', 'deployed-sha', 2], // 101 - 99
    ]);
  });

  it('does not depend on the order rows arrived in, and skips deployments that are not production successes', () => {
    const changes = [
      change('c1', 0, 1),
      change('c2', 2, 3),
      change('c3', 4, 5),
    ];
    const deployments = [
      dep('d1', 2, 'c1'),
      dep('stg', 5.5, 'c3', { production: false, counted: false }),
      dep('fail', 5.7, 'c3', { status: 'failure', counted: false }),
      dep('d2', 6, 'c3'),
    ];
    const a = linkSubject({ deployments, changes, incidents: [] });
    const b = linkSubject({
      deployments: [...deployments].reverse(),
      changes: [...changes].reverse(),
      incidents: [],
    });
    expect(b).toEqual(a);
    // d2 ships c2 (between deployments) and c3 (its sha)
    expect(
      a.changeLinks.map(l => [l.deploymentId, l.changeId, l.linkedBy]),
    ).toEqual([
      ['d1', 'acme/a@c1', 'deployed-sha'],
      ['d2', 'acme/a@c2', 'between-deployments'],
      ['d2', 'acme/a@c3', 'deployed-sha'],
    ]);
  });

  it('links an incident by explicit reference first, and marks hotfix and incident-triggered rework', () => {
    const r = linkSubject({
      deployments: [
        dep('github-acme:1', 1, 'c1'),
        dep('github-acme:2', 10, 'c2'),
        dep('github-acme:3', 12, 'c3', { incidentRef: 'INC-1' }),
        dep('github-acme:4', 14, 'c4', { ref: 'hotfix/checkout' }),
      ],
      changes: [
        change('c1', 0, 0.5),
        change('c2', 9, 9.5),
        change('c3', 11, 11.5),
        change('c4', 13, 13.5),
      ],
      // the reference names deployment 1 by its GitHub id, although deployment 2 is closer in time
      incidents: [incident('INC-1', 11, { deploymentRef: '1' })],
    });
    expect(r.incidentLinks).toEqual([
      {
        incidentId: 'INC-1',
        deploymentId: 'github-acme:1',
        linkedBy: 'explicit-reference',
        confidence: 'high',
      },
    ]);
    expect(r.flags).toEqual(
      expect.arrayContaining([
        {
          deploymentId: 'github-acme:1',
          failure: 'incident',
          recoveredAt: undefined,
          rolledBackBy: undefined,
        },
        { deploymentId: 'github-acme:3', rework: 'incident' },
        { deploymentId: 'github-acme:4', rework: 'hotfix' },
      ]),
    );
  });

  it('leaves an incident with no deployment in the window unlinked', () => {
    const r = linkSubject({
      deployments: [dep('d1', 1, 'c1')],
      changes: [change('c1', 0, 0.5)],
      incidents: [incident('late', 100)],
    });
    expect(r.incidentLinks).toEqual([]);
  });
});
