import { Link, TableColumn } from '@backstage/core-components';
import Chip from '@mui/material/Chip';
import { DrillDownGroups, deploymentTags } from '../lib/drilldown';
import { formatDateTime, shortRef, shortSha } from '../lib/format';
import { NamedTable } from '@internal/plugin-platform-react';

type Row = DrillDownGroups['deployments'][number];

const COLUMNS: TableColumn<Row>[] = [
  {
    title: 'Deployed at',
    field: 'deployment.deployedAt',
    render: ({ deployment: d }) =>
      d.url ? (
        <Link to={d.url}>{formatDateTime(d.deployedAt)}</Link>
      ) : (
        formatDateTime(d.deployedAt)
      ),
  },
  {
    title: 'Component',
    field: 'deployment.componentRef',
    render: ({ deployment: d }) => shortRef(d.componentRef ?? d.subject),
  },
  {
    title: 'Sha',
    field: 'deployment.sha',
    render: ({ deployment: d }) => <code title={d.sha}>{shortSha(d.sha)}</code>,
  },
  { title: 'Environment', field: 'deployment.environment' },
  { title: 'Status', field: 'deployment.status' },
  {
    title: 'Counted as',
    sorting: false,
    render: row =>
      deploymentTags(row).map(tag => (
        <Chip
          key={tag}
          size="small"
          label={tag}
          color={tag.startsWith('failed') ? 'error' : 'warning'}
          sx={{ mr: 0.5 }}
        />
      )),
  },
];

/** The production deployments behind a number, with what each counted as (failed, rework). */
export function DeploymentsTable(props: {
  rows: DrillDownGroups['deployments'];
  showSubject: boolean;
}) {
  const { rows, showSubject } = props;
  return (
    <NamedTable
      label="Deployments"
      title="Deployments"
      columns={
        showSubject ? COLUMNS : COLUMNS.filter(c => c.title !== 'Component')
      }
      data={rows}
      empty="No deployments in this window."
    />
  );
}
