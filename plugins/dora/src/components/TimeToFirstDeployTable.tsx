import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { formatDateTime, formatHours, shortRef } from '../lib/format';
import { timeToFirstDeploySummary } from '../lib/platform';

/** From the template run that created a service to its first production deployment. */
export function TimeToFirstDeployTable(props: { windowDays: number }) {
  const api = useApi(doraApiRef);
  const rows = useLoad(
    () => api.getTimeToFirstDeploy({ windowDays: props.windowDays }),
    [api, props.windowDays],
  );
  const summary = rows.value ? timeToFirstDeploySummary(rows.value) : undefined;
  return (
    <Box component="section" aria-label="Time to first deploy">
      <Typography variant="h5" component="h2" gutterBottom>
        Time to first deploy
      </Typography>
      {rows.loading && <Progress />}
      {rows.error && <ResponseErrorPanel error={rows.error} />}
      {rows.value && rows.value.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No services were created from a template in the last{' '}
          {props.windowDays} days.
        </Typography>
      )}
      {summary && rows.value && rows.value.length > 0 && (
        <>
          <Typography variant="body2" sx={{ mb: 1 }}>
            Median {formatHours(summary.medianHours)} over {summary.deployed}{' '}
            deployed service{summary.deployed === 1 ? '' : 's'}
            {summary.waiting > 0 &&
              `; ${summary.waiting} not deployed to production yet`}
            .
          </Typography>
          <Table size="small" aria-label="Time to first deploy">
            <TableHead>
              <TableRow>
                <TableCell>Component</TableCell>
                <TableCell>Template</TableCell>
                <TableCell>Team</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>First production deployment</TableCell>
                <TableCell align="right">Time to first deploy</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.value.map(r => (
                <TableRow key={r.taskId}>
                  <TableCell>{shortRef(r.componentRef)}</TableCell>
                  <TableCell>{shortRef(r.templateRef)}</TableCell>
                  <TableCell>{shortRef(r.teamRef)}</TableCell>
                  <TableCell>{formatDateTime(r.createdAt)}</TableCell>
                  <TableCell>
                    {r.firstDeployedAt
                      ? formatDateTime(r.firstDeployedAt)
                      : 'not yet'}
                  </TableCell>
                  <TableCell align="right">
                    {r.hours !== undefined ? formatHours(r.hours) : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
