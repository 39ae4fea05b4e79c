import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MetricName } from '@internal/plugin-dora-common';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { groupRows, tablesFor } from '../lib/drilldown';
import { formatDate } from '../lib/format';
import { METRIC_INFO, RowKind } from '../lib/metricInfo';
import { ChangesTable } from './ChangesTable';
import { DeploymentsTable } from './DeploymentsTable';
import { IncidentsTable } from './IncidentsTable';
import { RollbacksTable } from './RollbacksTable';

/** The rows behind one metric's number (this window or the previous one), in a table per kind. */
export function DrillDownPanel(props: {
  entity: string;
  metric: MetricName;
  windowDays: number;
  at: string;
}) {
  const { entity, metric, windowDays, at } = props;
  const api = useApi(doraApiRef);
  const [period, setPeriod] = useState<'current' | 'previous'>('current');
  const result = useLoad(
    () => api.getDrillDown({ entity, metric, windowDays, at, period }),
    [api, entity, metric, windowDays, at, period],
  );
  const info = METRIC_INFO[metric];
  const groups = result.value ? groupRows(result.value.rows) : undefined;
  const showSubject = !entity.startsWith('component:');

  const table = (kind: RowKind) => {
    if (!groups) return null;
    switch (kind) {
      case 'deployment':
        return (
          <DeploymentsTable
            key={kind}
            rows={groups.deployments}
            showSubject={showSubject}
          />
        );
      case 'change':
        return <ChangesTable key={kind} rows={groups.changes} />;
      case 'incident':
        return <IncidentsTable key={kind} rows={groups.incidents} />;
      default:
        return <RollbacksTable key={kind} rows={groups.rollbacks} />;
    }
  };

  return (
    <Box component="section" aria-label={`Rows behind ${info.title}`}>
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 2,
          flexWrap: 'wrap',
          mb: 1,
        }}
      >
        <Typography variant="h6" component="h3">
          Behind {info.title.toLowerCase()}
        </Typography>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={period}
          onChange={(_, v) => v && setPeriod(v)}
          aria-label="Period"
        >
          <ToggleButton value="current">This window</ToggleButton>
          <ToggleButton value="previous">Previous window</ToggleButton>
        </ToggleButtonGroup>
        {result.value && (
          <Typography variant="body2" color="text.secondary">
            {formatDate(result.value.from)} to {formatDate(result.value.to)}
          </Typography>
        )}
      </Box>
      {result.loading && <Progress />}
      {result.error && <ResponseErrorPanel error={result.error} />}
      {groups &&
        tablesFor(metric).map(kind => (
          <Box key={kind} sx={{ mb: 2 }}>
            {table(kind)}
          </Box>
        ))}
    </Box>
  );
}
