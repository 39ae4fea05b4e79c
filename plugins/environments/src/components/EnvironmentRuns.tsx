import { TableColumn } from '@backstage/core-components';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Run } from '../api';
import { NamedTable } from '@internal/plugin-platform-react';
import { RunLog } from './RunLog';

const at = (time?: string) => (time ? new Date(time).toLocaleString() : '—');

const COLUMNS: TableColumn<Run>[] = [
  {
    title: 'Started',
    field: 'createdAt',
    defaultSort: 'desc',
    render: r => at(r.createdAt),
  },
  { title: 'Run', field: 'kind' },
  { title: 'State', field: 'state' },
  { title: 'Attempt', field: 'attempt', type: 'numeric' },
  { title: 'Finished', field: 'finishedAt', render: r => at(r.finishedAt) },
  { title: 'Error', field: 'error' },
];

/**
 * The environment's latest runs, and the log of one of them: the newest, or the one picked in the
 * table (its row clicked). The log follows a run while it goes.
 */
export function EnvironmentRuns(props: { environmentId: string; runs: Run[] }) {
  const { environmentId, runs } = props;
  const [picked, setPicked] = useState<string>();
  const run = runs.find(r => r.id === picked) ?? runs[0]; // newest first
  if (!run) return null;
  return (
    <>
      <Paper sx={{ p: 2 }}>
        <Typography variant="h6">
          {run.kind} run, attempt {run.attempt}: {run.state}
        </Typography>
        <RunLog key={run.id} environmentId={environmentId} run={run} />
      </Paper>
      {runs.length > 1 && (
        <Paper>
          <NamedTable
            label="Runs"
            title="Runs"
            columns={COLUMNS}
            data={runs}
            onRowClick={(_, row) => row && setPicked(row.id)}
            options={{
              rowStyle: (row: Run) =>
                row.id === run.id ? { fontWeight: 600 } : {},
            }}
          />
        </Paper>
      )}
    </>
  );
}
