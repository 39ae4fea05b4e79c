import { TableColumn } from '@backstage/core-components';
import Paper from '@mui/material/Paper';
import { HistoryEntry } from '../api';
import { NamedTable } from '@internal/plugin-platform-react';

const COLUMNS: TableColumn<HistoryEntry>[] = [
  {
    title: 'When',
    field: 'at',
    defaultSort: 'desc',
    render: h => new Date(h.at).toLocaleString(),
  },
  {
    title: 'Change',
    field: 'to',
    render: h => `${h.from ?? '—'} → ${h.to}`,
  },
  { title: 'Who', field: 'actor' },
  { title: 'Why', field: 'reason' },
];

/** Every change of the environment's state, newest first, with who made it and why. */
export function EnvironmentHistory({ history }: { history: HistoryEntry[] }) {
  return (
    <Paper>
      <NamedTable
        label="History"
        title="History"
        columns={COLUMNS}
        data={history}
      />
    </Paper>
  );
}
