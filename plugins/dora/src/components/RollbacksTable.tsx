import { TableColumn } from '@backstage/core-components';
import { DrillDownGroups } from '../lib/drilldown';
import { formatDateTime, formatHours, shortSha } from '../lib/format';
import { NamedTable } from '@internal/plugin-platform-react';

type Row = DrillDownGroups['rollbacks'][number];

const COLUMNS: TableColumn<Row>[] = [
  {
    title: 'Deployed at',
    field: 'deployment.deployedAt',
    render: row => formatDateTime(row.deployment.deployedAt),
  },
  {
    title: 'Sha',
    field: 'deployment.sha',
    render: row => <code>{shortSha(row.deployment.sha)}</code>,
  },
  {
    title: 'Rolled back by',
    field: 'rolledBackBy',
    render: row => (row.rolledBackBy ? <code>{row.rolledBackBy}</code> : '—'),
  },
  {
    title: 'Recovered at',
    field: 'deployment.recoveredAt',
    render: row => formatDateTime(row.deployment.recoveredAt),
  },
  {
    title: 'Recovery',
    field: 'recoveryHours',
    type: 'numeric',
    render: row => formatHours(row.recoveryHours),
  },
];

/** Deployments that failed and were rolled back (without an incident), with the time to the rollback. */
export function RollbacksTable(props: { rows: DrillDownGroups['rollbacks'] }) {
  return (
    <NamedTable
      label="Rollbacks"
      title="Rollbacks"
      columns={COLUMNS}
      data={props.rows}
      empty="No rolled-back deployments in this window."
    />
  );
}
