import {
  Link,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { IN_PROGRESS_STATES } from '@internal/plugin-environments-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Environment,
  EnvironmentListScope,
  environmentsApiRef,
  Page,
} from '../api';
import { costPerDay, STATE_COLORS, timeLeft } from './format';
import { loadPages } from './loadPages';
import { useLiveReload } from './useLiveReload';
import { NamedTable } from '@internal/plugin-platform-react';

const COLUMNS: TableColumn<Environment>[] = [
  {
    title: 'Name',
    field: 'name',
    render: e => <Link to={e.id}>{e.name}</Link>,
  },
  {
    title: 'Blueprint',
    field: 'blueprint',
    render: e => `${e.blueprint} (${e.size})`,
  },
  {
    title: 'Team',
    field: 'owner',
    render: e => e.owner.replace(/^group:default\//, ''),
  },
  {
    title: 'State',
    field: 'state',
    render: e => (
      <>
        <Chip
          size="small"
          label={e.state}
          color={STATE_COLORS[e.state] ?? 'default'}
        />
        {e.drift && (
          <Chip size="small" label="drift" color="warning" sx={{ ml: 1 }} />
        )}
      </>
    ),
  },
  {
    title: 'Time left',
    field: 'expiresAt',
    render: e => (e.state === 'active' ? timeLeft(e.expiresAt) : '—'),
  },
  {
    title: 'Cost a day',
    field: 'costPerHour',
    type: 'numeric',
    render: e => costPerDay(e.costPerHour),
  },
];

/**
 * My, my team's or all environments, with state, time left and cost, reloaded when a signal tells
 * of a state change (without the signals plugin: every 5 seconds).
 * The API pages them newest first: the table holds the pages loaded so far (sorted, searched and
 * paged in the browser), and "Load older environments" asks the API for the next one.
 */
export function EnvironmentList() {
  const api = useApi(environmentsApiRef);
  const [scope, setScope] = useState<EnvironmentListScope>('team');
  const [pages, setPages] = useState(1);
  const [loaded, setLoaded] = useState<Page<Environment> | undefined>();
  const [error, setError] = useState<Error | undefined>();

  // The answer of the latest load only: a load for an earlier scope or page count is dropped.
  const generation = useRef(0);
  const load = useCallback(() => {
    const mine = ++generation.current;
    return loadPages(cursor => api.list(scope, cursor), pages).then(
      page =>
        mine === generation.current && (setLoaded(page), setError(undefined)),
      e => mine === generation.current && setError(e),
    );
  }, [api, scope, pages]);

  useEffect(() => {
    load();
  }, [load]);

  useLiveReload({
    reload: load,
    matches: signal => 'state' in signal,
    pollMs: 5000,
    live: !!loaded?.items.some(e => IN_PROGRESS_STATES.includes(e.state)),
  });

  return (
    <>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={scope}
        onChange={(_, v) =>
          v && (setScope(v), setPages(1), setLoaded(undefined))
        }
        sx={{ mb: 2 }}
      >
        <ToggleButton value="mine">Mine</ToggleButton>
        <ToggleButton value="team">My teams'</ToggleButton>
        <ToggleButton value="all">All</ToggleButton>
      </ToggleButtonGroup>
      {error && <ResponseErrorPanel error={error} />}
      {!loaded && !error && <Progress />}
      {loaded && loaded.items.length === 0 && (
        <Typography>
          No environments yet. Request one with the{' '}
          <Link to="/create">Request a sandbox environment</Link> template.
        </Typography>
      )}
      {loaded && loaded.items.length > 0 && (
        <NamedTable
          label="Environments"
          title={`${loaded.items.length}${
            loaded.nextCursor ? '+' : ''
          } environments`}
          columns={COLUMNS}
          data={loaded.items}
        />
      )}
      {loaded?.nextCursor && (
        <Button
          size="small"
          sx={{ mt: 1 }}
          onClick={() => setPages(n => n + 1)}
        >
          Load older environments
        </Button>
      )}
    </>
  );
}
