import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { DrillDownGroups } from '../lib/drilldown';
import { formatDateTime, formatHours, shortSha } from '../lib/format';
import { MAX_ROWS, TableNote } from './TableNote';

/** Deployments that failed and were rolled back (without an incident), with the time to the rollback. */
export function RollbacksTable(props: { rows: DrillDownGroups['rollbacks'] }) {
  const { rows } = props;
  return (
    <>
      <Table size="small" aria-label="Rollbacks">
        <TableHead>
          <TableRow>
            <TableCell>Deployed at</TableCell>
            <TableCell>Sha</TableCell>
            <TableCell>Rolled back by</TableCell>
            <TableCell>Recovered at</TableCell>
            <TableCell align="right">Recovery</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(0, MAX_ROWS).map(row => (
            <TableRow key={row.deployment.id}>
              <TableCell>{formatDateTime(row.deployment.deployedAt)}</TableCell>
              <TableCell>
                <code>{shortSha(row.deployment.sha)}</code>
              </TableCell>
              <TableCell>
                {row.rolledBackBy ? <code>{row.rolledBackBy}</code> : '—'}
              </TableCell>
              <TableCell>
                {formatDateTime(row.deployment.recoveredAt)}
              </TableCell>
              <TableCell align="right">
                {formatHours(row.recoveryHours)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <TableNote
        total={rows.length}
        empty="No rolled-back deployments in this window."
      />
    </>
  );
}
