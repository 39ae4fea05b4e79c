import { Link, TableColumn } from '@backstage/core-components';
import Typography from '@mui/material/Typography';
import { DrillDownGroups, incidentLinkLabel } from '../lib/drilldown';
import { formatDateTime, formatHours } from '../lib/format';
import { NamedTable } from '@internal/plugin-platform-react';

type Row = DrillDownGroups['incidents'][number];

const COLUMNS: TableColumn<Row>[] = [
  {
    title: 'Incident',
    field: 'incident.title',
    render: ({ incident: i }) => {
      const title = i.title ?? i.id;
      return i.url ? <Link to={i.url}>{title}</Link> : title;
    },
  },
  {
    title: 'Started',
    field: 'incident.startedAt',
    render: row => formatDateTime(row.incident.startedAt),
  },
  {
    title: 'Resolved',
    field: 'incident.resolvedAt',
    render: row => formatDateTime(row.incident.resolvedAt),
  },
  { title: 'State', field: 'incident.state' },
  {
    title: 'Recovery',
    field: 'recoveryHours',
    type: 'numeric',
    render: row =>
      row.recoveryHours !== undefined ? formatHours(row.recoveryHours) : '—',
  },
  {
    title: 'Caused by deployment',
    sorting: false,
    render: row =>
      row.links.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          not linked to a deployment
        </Typography>
      ) : (
        row.links.map(l => (
          <Typography
            key={l.deploymentId}
            variant="body2"
            color={l.confidence === 'low' ? 'warning.main' : undefined}
          >
            <code>{l.deploymentId}</code>: {incidentLinkLabel(l)}
          </Typography>
        ))
      ),
  },
];

/** Incidents, each with the deployments it was linked to and how (explicit, root-cause sha, time window). */
export function IncidentsTable(props: { rows: DrillDownGroups['incidents'] }) {
  return (
    <NamedTable
      label="Incidents"
      title="Incidents"
      columns={COLUMNS}
      data={props.rows}
      empty="No incidents in this window."
    />
  );
}
