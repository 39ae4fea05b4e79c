import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { changeLinkLabel, DrillDownGroups } from '../lib/drilldown';
import { formatDateTime, formatHours, shortSha } from '../lib/format';
import { MAX_ROWS, TableNote } from './TableNote';

/** The changes behind the lead time: each with the deployment that shipped it and how they were linked. */
export function ChangesTable(props: { rows: DrillDownGroups['changes'] }) {
  const { rows } = props;
  return (
    <>
      <Table size="small" aria-label="Changes">
        <TableHead>
          <TableRow>
            <TableCell>Sha</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>Committed</TableCell>
            <TableCell>Landed</TableCell>
            <TableCell>Deployment</TableCell>
            <TableCell>Linked by</TableCell>
            <TableCell align="right">Lead time</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(0, MAX_ROWS).map(row => (
            <TableRow key={`${row.change.id}-${row.deploymentId}`}>
              <TableCell>
                <code title={row.change.sha}>{shortSha(row.change.sha)}</code>
              </TableCell>
              <TableCell>
                {row.change.pullRequest !== undefined &&
                  `#${row.change.pullRequest} `}
                {row.change.title ?? row.change.repo}
                {row.change.revert && ' (revert)'}
              </TableCell>
              <TableCell>{formatDateTime(row.change.committedAt)}</TableCell>
              <TableCell>{formatDateTime(row.change.landedAt)}</TableCell>
              <TableCell>
                <code>{row.deploymentId}</code>
              </TableCell>
              <TableCell>{changeLinkLabel(row.linkedBy)}</TableCell>
              <TableCell align="right">
                {formatHours(row.leadTimeHours)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <TableNote
        total={rows.length}
        empty="No changes shipped in this window."
      />
    </>
  );
}
