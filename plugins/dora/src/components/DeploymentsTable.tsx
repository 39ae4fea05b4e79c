import { Link } from '@backstage/core-components';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { DrillDownGroups, deploymentTags } from '../lib/drilldown';
import { formatDateTime, shortRef, shortSha } from '../lib/format';
import { MAX_ROWS, TableNote } from './TableNote';

/** The production deployments behind a number, with what each counted as (failed, rework). */
export function DeploymentsTable(props: {
  rows: DrillDownGroups['deployments'];
  showSubject: boolean;
}) {
  const { rows, showSubject } = props;
  return (
    <>
      <Table size="small" aria-label="Deployments">
        <TableHead>
          <TableRow>
            <TableCell>Deployed at</TableCell>
            {showSubject && <TableCell>Component</TableCell>}
            <TableCell>Sha</TableCell>
            <TableCell>Environment</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Counted as</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(0, MAX_ROWS).map(row => {
            const d = row.deployment;
            return (
              <TableRow key={d.id}>
                <TableCell>
                  {d.url ? (
                    <Link to={d.url}>{formatDateTime(d.deployedAt)}</Link>
                  ) : (
                    formatDateTime(d.deployedAt)
                  )}
                </TableCell>
                {showSubject && (
                  <TableCell>{shortRef(d.componentRef ?? d.subject)}</TableCell>
                )}
                <TableCell>
                  <code title={d.sha}>{shortSha(d.sha)}</code>
                </TableCell>
                <TableCell>{d.environment}</TableCell>
                <TableCell>{d.status}</TableCell>
                <TableCell>
                  {deploymentTags(row).map(tag => (
                    <Chip
                      key={tag}
                      size="small"
                      label={tag}
                      color={tag.startsWith('failed') ? 'error' : 'warning'}
                      sx={{ mr: 0.5 }}
                    />
                  ))}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <TableNote total={rows.length} empty="No deployments in this window." />
    </>
  );
}
