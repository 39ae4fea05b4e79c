import { Link } from '@backstage/core-components';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { DrillDownGroups, incidentLinkLabel } from '../lib/drilldown';
import { formatDateTime, formatHours } from '../lib/format';
import { MAX_ROWS, TableNote } from './TableNote';

/** Incidents, each with the deployments it was linked to and how (explicit, root-cause sha, time window). */
export function IncidentsTable(props: { rows: DrillDownGroups['incidents'] }) {
  const { rows } = props;
  return (
    <>
      <Table size="small" aria-label="Incidents">
        <TableHead>
          <TableRow>
            <TableCell>Incident</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Resolved</TableCell>
            <TableCell>State</TableCell>
            <TableCell align="right">Recovery</TableCell>
            <TableCell>Caused by deployment</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(0, MAX_ROWS).map(row => {
            const i = row.incident;
            const title = i.title ?? i.id;
            return (
              <TableRow key={i.id}>
                <TableCell>
                  {i.url ? <Link to={i.url}>{title}</Link> : title}
                </TableCell>
                <TableCell>{formatDateTime(i.startedAt)}</TableCell>
                <TableCell>{formatDateTime(i.resolvedAt)}</TableCell>
                <TableCell>{i.state}</TableCell>
                <TableCell align="right">
                  {row.recoveryHours !== undefined
                    ? formatHours(row.recoveryHours)
                    : '—'}
                </TableCell>
                <TableCell>
                  {row.links.length === 0 && (
                    <Typography variant="body2" color="text.secondary">
                      not linked to a deployment
                    </Typography>
                  )}
                  {row.links.map(l => (
                    <Typography
                      key={l.deploymentId}
                      variant="body2"
                      color={
                        l.confidence === 'low' ? 'warning.main' : undefined
                      }
                    >
                      <code>{l.deploymentId}</code>: {incidentLinkLabel(l)}
                    </Typography>
                  ))}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <TableNote total={rows.length} empty="No incidents in this window." />
    </>
  );
}
