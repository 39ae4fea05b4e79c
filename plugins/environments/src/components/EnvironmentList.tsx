import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { Environment, EnvironmentListScope, environmentsApiRef } from '../api';
import { costPerDay, STATE_COLORS, timeLeft } from './format';

/**
 * My, my team's or all environments, with state, time left and cost, refreshed every few seconds,
 * a page at a time (newest first; "Older" follows the API's cursor, "Newest" goes back).
 */
export function EnvironmentList() {
  const api = useApi(environmentsApiRef);
  const [scope, setScope] = useState<EnvironmentListScope>('team');
  const [items, setItems] = useState<Environment[] | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [cursors, setCursors] = useState<string[]>([]); // the cursors of the pages before this one, and this one's
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let alive = true;
    const load = () =>
      api.list(scope, cursor).then(
        page =>
          alive &&
          (setItems(page.items),
          setNextCursor(page.nextCursor),
          setError(undefined)),
        e => alive && setError(e),
      );
    load();
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [api, scope, cursor]);

  return (
    <>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={scope}
        onChange={(_, v) => v && (setScope(v), setCursors([]))}
        sx={{ mb: 2 }}
      >
        <ToggleButton value="mine">Mine</ToggleButton>
        <ToggleButton value="team">My teams'</ToggleButton>
        <ToggleButton value="all">All</ToggleButton>
      </ToggleButtonGroup>
      {error && <ResponseErrorPanel error={error} />}
      {!items && !error && <Progress />}
      {items && items.length === 0 && !cursor && (
        <Typography>
          No environments yet. Request one with the{' '}
          <Link to="/create">Request a sandbox environment</Link> template.
        </Typography>
      )}
      {items && items.length > 0 && (
        <Table size="small" aria-label="Environments">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Blueprint</TableCell>
              <TableCell>Team</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Time left</TableCell>
              <TableCell align="right">Cost a day</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(e => (
              <TableRow key={e.id}>
                <TableCell>
                  <Link to={e.id}>{e.name}</Link>
                </TableCell>
                <TableCell>
                  {e.blueprint} ({e.size})
                </TableCell>
                <TableCell>{e.owner.replace(/^group:default\//, '')}</TableCell>
                <TableCell>
                  <Chip
                    size="small"
                    label={e.state}
                    color={STATE_COLORS[e.state] ?? 'default'}
                  />
                  {e.drift && (
                    <Chip
                      size="small"
                      label="drift"
                      color="warning"
                      sx={{ ml: 1 }}
                    />
                  )}
                </TableCell>
                <TableCell>
                  {e.state === 'active' ? timeLeft(e.expiresAt) : '—'}
                </TableCell>
                <TableCell align="right">{costPerDay(e.costPerHour)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {(cursor || nextCursor) && (
        <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
          <Button
            size="small"
            disabled={!cursor}
            onClick={() => setCursors([])}
          >
            Newest
          </Button>
          <Button
            size="small"
            disabled={!nextCursor}
            onClick={() => nextCursor && setCursors(c => [...c, nextCursor])}
          >
            Older
          </Button>
        </Stack>
      )}
    </>
  );
}
