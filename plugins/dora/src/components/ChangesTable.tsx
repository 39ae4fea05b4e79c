import { TableColumn } from '@backstage/core-components';
import { changeLinkLabel, DrillDownGroups } from '../lib/drilldown';
import { formatDateTime, formatHours, shortSha } from '../lib/format';
import { NamedTable } from '@internal/plugin-platform-react';

type Row = DrillDownGroups['changes'][number];

const COLUMNS: TableColumn<Row>[] = [
  {
    title: 'Sha',
    field: 'change.sha',
    render: ({ change }) => (
      <code title={change.sha}>{shortSha(change.sha)}</code>
    ),
  },
  {
    title: 'Change',
    field: 'change.title',
    render: ({ change }) => (
      <>
        {change.pullRequest !== undefined && `#${change.pullRequest} `}
        {change.title ?? change.repo}
        {change.revert && ' (revert)'}
      </>
    ),
  },
  {
    title: 'Committed',
    field: 'change.committedAt',
    render: ({ change }) => formatDateTime(change.committedAt),
  },
  {
    title: 'Landed',
    field: 'change.landedAt',
    render: ({ change }) => formatDateTime(change.landedAt),
  },
  {
    title: 'Deployment',
    field: 'deploymentId',
    render: row => <code>{row.deploymentId}</code>,
  },
  {
    title: 'Linked by',
    field: 'linkedBy',
    render: row => changeLinkLabel(row.linkedBy),
  },
  {
    title: 'Lead time',
    field: 'leadTimeHours',
    type: 'numeric',
    render: row => formatHours(row.leadTimeHours),
  },
];

/** The changes behind the lead time: each with the deployment that shipped it and how they were linked. */
export function ChangesTable(props: { rows: DrillDownGroups['changes'] }) {
  return (
    <NamedTable
      label="Changes"
      title="Changes"
      columns={COLUMNS}
      data={props.rows}
      empty="No changes shipped in this window."
    />
  );
}
