import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  environmentApprovePermission,
  environmentDeletePermission,
  environmentSecretsReadPermission,
  environmentUpdatePermission,
  IN_PROGRESS_STATES,
} from '@internal/plugin-environments-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import { Environment, environmentsApiRef, HistoryEntry, Run } from '../api';
import { costPerDay, STATE_COLORS, timeLeft } from './format';
import { EnvironmentHistory } from './EnvironmentHistory';
import { EnvironmentRuns } from './EnvironmentRuns';
import { Refused, refused } from './refused';
import { useLiveReload } from './useLiveReload';

/**
 * One environment: state, actions allowed by the policy, outputs, the live run log and the history.
 * Reloaded when a signal tells of a change of its state or of one of its runs (without the signals
 * plugin: every 2 seconds).
 */
export function EnvironmentDetail({ id }: { id: string }) {
  const api = useApi(environmentsApiRef);
  const [data, setData] = useState<{
    environment: Environment;
    history: HistoryEntry[];
    runs: Run[] | Refused;
  }>();
  const [error, setError] = useState<Error>();
  const [actionError, setActionError] = useState<Error>();
  const [secrets, setSecrets] = useState<Record<string, unknown>>();
  const [confirmDestroy, setConfirmDestroy] = useState(false);
  const canUpdate = usePermission({
    permission: environmentUpdatePermission,
    resourceRef: id,
  });
  const canDelete = usePermission({
    permission: environmentDeletePermission,
    resourceRef: id,
  });
  const canApprove = usePermission({
    permission: environmentApprovePermission,
    resourceRef: id,
  });
  const canSeeSecrets = usePermission({
    permission: environmentSecretsReadPermission,
    resourceRef: id,
  });

  const load = useCallback(async () => {
    try {
      const [{ environment, history }, runs] = await Promise.all([
        api.get(id),
        api.runs(id).catch(refused),
      ]);
      setData({ environment, history, runs });
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, id]);

  useEffect(() => {
    load();
  }, [load]);

  const shownRuns = data && !('refused' in data.runs) ? data.runs : [];
  useLiveReload({
    reload: load,
    matches: signal =>
      signal.id === id && ('state' in signal || 'runState' in signal),
    pollMs: 2000,
    live:
      !data ||
      IN_PROGRESS_STATES.includes(data.environment.state) ||
      shownRuns.some(r => r.state === 'queued' || r.state === 'running'),
  });

  const act = (fn: () => Promise<unknown>) => async () => {
    setActionError(undefined);
    try {
      await fn();
      await load();
    } catch (e) {
      setActionError(e as Error);
    }
  };

  if (error) return <ResponseErrorPanel error={error} />;
  if (!data) return <Progress />;
  const { environment: env, history, runs } = data;
  const secretNames = Object.keys(secrets ?? {});

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} alignItems="center">
        <Typography variant="h5">{env.name}</Typography>
        <Chip
          label={env.state}
          color={STATE_COLORS[env.state] ?? 'default'}
          aria-label={`state ${env.state}`}
        />
        {env.drift && <Chip label="drift detected" color="warning" />}
        {IN_PROGRESS_STATES.includes(env.state) && <Progress />}
      </Stack>
      <Typography variant="body2">
        {env.blueprint} ({env.size}) for {env.owner}, requested by{' '}
        {env.requestedBy}; {costPerDay(env.costPerHour)} a day;{' '}
        {env.state === 'active'
          ? timeLeft(env.expiresAt)
          : `TTL ${env.ttlHours} h`}
      </Typography>

      <Stack direction="row" spacing={1}>
        {env.state === 'active' && canUpdate.allowed && (
          <Button
            variant="outlined"
            onClick={act(() => api.extend(env.id, 24))}
          >
            Extend by 24 hours
          </Button>
        )}
        {['active', 'quarantined'].includes(env.state) && canDelete.allowed && (
          <Button
            variant="outlined"
            color="error"
            onClick={() => setConfirmDestroy(true)}
          >
            {env.state === 'quarantined' ? 'Retry destroy' : 'Destroy'}
          </Button>
        )}
        {env.state === 'pending_approval' && canApprove.allowed && (
          <>
            <Button
              variant="contained"
              onClick={act(() => api.decide(env.id, true))}
            >
              Approve
            </Button>
            <Button
              variant="outlined"
              onClick={act(() => api.decide(env.id, false))}
            >
              Reject
            </Button>
          </>
        )}
      </Stack>
      {actionError && <Alert severity="error">{actionError.message}</Alert>}
      {env.state === 'pending_approval' && (
        <Alert severity="info">
          Waiting for a platform engineer's approval:{' '}
          {history[history.length - 1]?.reason}
        </Alert>
      )}
      {env.state === 'quarantined' && (
        <Alert severity="error">
          Destroying this environment failed repeatedly; resources may remain.
          The platform team must act.
        </Alert>
      )}

      <Dialog open={confirmDestroy} onClose={() => setConfirmDestroy(false)}>
        <DialogTitle>Destroy {env.name}?</DialogTitle>
        <DialogContent>
          Everything the environment holds is deleted. This cannot be undone.
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDestroy(false)}>Cancel</Button>
          <Button
            color="error"
            variant="contained"
            onClick={async () => {
              setConfirmDestroy(false);
              await act(() =>
                env.state === 'quarantined'
                  ? api.retry(env.id)
                  : api.destroy(env.id),
              )();
            }}
          >
            Destroy it
          </Button>
        </DialogActions>
      </Dialog>

      <Paper sx={{ p: 2 }}>
        <Typography variant="h6">Outputs</Typography>
        <Table size="small" aria-label="Outputs">
          <TableBody>
            {Object.entries(env.outputs ?? {}).map(([k, v]) => (
              <TableRow key={k}>
                <TableCell>{k}</TableCell>
                <TableCell>
                  <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
                </TableCell>
              </TableRow>
            ))}
            {secretNames.map(k => (
              <TableRow key={k}>
                <TableCell>{k} (secret)</TableCell>
                <TableCell>
                  <code>{String(secrets![k])}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {env.state === 'active' && canSeeSecrets.allowed && !secrets && (
          <Button
            size="small"
            onClick={act(async () => setSecrets(await api.secrets(env.id)))}
          >
            Reveal secrets
          </Button>
        )}
        {env.state === 'active' &&
          !canSeeSecrets.loading &&
          !canSeeSecrets.allowed && (
            <Typography variant="caption">
              Secret outputs are masked: only the owning team and the platform
              team see them.
            </Typography>
          )}
      </Paper>

      {'refused' in runs ? (
        <Alert severity="info" aria-label="Runs and logs">
          Runs and logs are not shown: {runs.refused}
        </Alert>
      ) : (
        <EnvironmentRuns environmentId={env.id} runs={runs} />
      )}

      <EnvironmentHistory history={history} />
    </Stack>
  );
}
