import {
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { shortRef } from '../lib/format';
import { adoptionBy, AdoptionTotal } from '../lib/platform';
import { NamedTable } from '@internal/plugin-platform-react';

function AdoptionTable(props: {
  label: string;
  keyTitle: string;
  distinctTitle: string;
  rows: AdoptionTotal[];
}) {
  const { keyTitle, distinctTitle } = props;
  const columns = useMemo<TableColumn<AdoptionTotal>[]>(
    () => [
      { title: keyTitle, field: 'key', render: r => shortRef(r.key) },
      { title: 'Runs', field: 'runs', type: 'numeric' },
      { title: 'Succeeded', field: 'succeeded', type: 'numeric' },
      { title: distinctTitle, field: 'distinct', type: 'numeric' },
    ],
    [keyTitle, distinctTitle],
  );
  return (
    <NamedTable
      label={props.label}
      title={props.label}
      columns={columns}
      data={props.rows}
    />
  );
}

/** Template runs from the scaffolder, per team and per template. */
export function TemplateAdoptionTables(props: { windowDays: number }) {
  const api = useApi(doraApiRef);
  const rows = useLoad(
    () => api.getTemplateAdoption({ windowDays: props.windowDays }),
    [api, props.windowDays],
  );
  const perTeam = useMemo(
    () => adoptionBy(rows.value ?? [], 'team'),
    [rows.value],
  );
  const perTemplate = useMemo(
    () => adoptionBy(rows.value ?? [], 'template'),
    [rows.value],
  );
  return (
    <Box component="section" aria-label="Template adoption">
      <Typography variant="h5" component="h2" gutterBottom>
        Template adoption
      </Typography>
      {rows.loading && <Progress />}
      {rows.error && <ResponseErrorPanel error={rows.error} />}
      {rows.value && rows.value.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No template runs in the last {props.windowDays} days.
        </Typography>
      )}
      {rows.value && rows.value.length > 0 && (
        <Box
          sx={{
            display: 'grid',
            gap: 3,
            gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
          }}
        >
          <AdoptionTable
            label="Template runs per team"
            keyTitle="Team"
            distinctTitle="Templates used"
            rows={perTeam}
          />
          <AdoptionTable
            label="Template runs per template"
            keyTitle="Template"
            distinctTitle="Teams"
            rows={perTemplate}
          />
        </Box>
      )}
    </Box>
  );
}
