import { Deployment, DrillDownRow } from '@internal/plugin-dora-common';
import {
  changeLinkLabel,
  deploymentTags,
  groupRows,
  incidentLinkLabel,
  tablesFor,
} from './drilldown';

const deployment: Deployment = {
  id: 'd1',
  subject: 'component:default/a',
  environment: 'production',
  production: true,
  status: 'success',
  deployedAt: '2026-03-01T10:00:00Z',
  rework: 'rollback',
  failure: 'incident',
};

describe('drill-down rows', () => {
  it('groups rows by kind, keeping how each was linked', () => {
    const rows: DrillDownRow[] = [
      {
        type: 'deployment',
        deployment,
        counted: ['deployment', 'failed: incident'],
      },
      {
        type: 'change',
        change: {
          id: 'c1',
          subject: 's',
          repo: 'acme/a',
          sha: 'abc',
          committedAt: '',
          landedAt: '',
          revert: false,
        },
        deploymentId: 'd1',
        linkedBy: 'between-deployments',
        leadTimeHours: 3,
      },
      {
        type: 'incident',
        incident: { id: 'i1', subject: 's', startedAt: '', state: 'open' },
        links: [
          { deploymentId: 'd1', linkedBy: 'time-window', confidence: 'low' },
        ],
      },
      { type: 'rollback', deployment, recoveryHours: 1 },
    ];
    const g = groupRows(rows);
    expect(g.deployments).toHaveLength(1);
    expect(g.changes[0].linkedBy).toBe('between-deployments');
    expect(g.incidents[0].links[0].confidence).toBe('low');
    expect(g.rollbacks[0].recoveryHours).toBe(1);
  });

  it('chooses the tables of each metric', () => {
    expect(tablesFor('deploymentFrequency')).toEqual(['deployment']);
    expect(tablesFor('changeLeadTime')).toEqual(['change']);
    expect(tablesFor('changeFailureRate')).toEqual(['deployment', 'incident']);
    expect(tablesFor('failedDeploymentRecoveryTime')).toEqual([
      'incident',
      'rollback',
    ]);
  });

  it('labels links and tags deployments without repeating what the API counted', () => {
    expect(changeLinkLabel('pull-request-merge')).toBe('pull request merge');
    expect(
      incidentLinkLabel({ linkedBy: 'time-window', confidence: 'low' }),
    ).toBe('time window (guess), low confidence');
    expect(
      deploymentTags({
        deployment,
        counted: ['deployment', 'failed: incident'],
      }),
    ).toEqual(['failed: incident', 'rework: rollback']);
  });
});
