import {
  Link,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { METRIC_NAMES, MetricName } from '@internal/plugin-dora-common';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { METRIC_INFO } from '../lib/metricInfo';
import { scoreText } from '../lib/scorecards';
import { NamedTable } from '@internal/plugin-platform-react';
import { MetricCell } from './MetricCell';
import { MetricsOf, useMetricsOfMany } from './useMetricsOfMany';

interface TeamRow {
  entity: string;
  name: string;
  href?: string;
  scorecards?: string;
  /** Undefined while the team's metrics are on their way. */
  metrics?: MetricsOf[string];
}

/** Numbers ascending, a missing number after every number. */
function byValue(x: number | undefined, y: number | undefined): number {
  if (x === undefined || y === undefined) {
    if (x === y) return 0;
    return x === undefined ? 1 : -1;
  }
  return x - y;
}

/** The columns: the team, its five metrics (sorted by value, those without one last), scorecards. */
function columnsFor(windowDays: number): TableColumn<TeamRow>[] {
  const valueOf = (row: TeamRow, m: MetricName) =>
    row.metrics?.value?.metrics[m]?.value;
  return [
    {
      title: 'Team',
      field: 'name',
      render: row => (
        <>
          {row.href ? (
            <Link to={row.href}>{row.name}</Link>
          ) : (
            <strong>{row.name}</strong>
          )}
          {row.metrics?.error && (
            <Typography variant="body2" color="error">
              {row.metrics.error.message}
            </Typography>
          )}
        </>
      ),
    },
    ...METRIC_NAMES.map(
      (m): TableColumn<TeamRow> => ({
        title: METRIC_INFO[m].title,
        customSort: (a, b) => byValue(valueOf(a, m), valueOf(b, m)),
        render: row => {
          const state = row.metrics;
          if (state?.error) return '—';
          const result =
            state?.value?.windowDays === windowDays ? state.value : undefined;
          return result ? (
            <MetricCell
              metric={result.metrics[m]}
              benchmark={result.benchmark}
              windowDays={windowDays}
            />
          ) : (
            '…'
          );
        },
      }),
    ),
    { title: 'Scorecards', field: 'scorecards', emptyValue: '—' },
  ];
}

/** Every team of the catalog (groups of type team), and the organisation, with their five metrics and scorecard average. */
export function TeamsMetricsTable(props: { windowDays: number }) {
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(doraApiRef);
  const teams = useLoad(
    async () =>
      (
        await catalogApi.getEntities({
          filter: { kind: 'Group', 'spec.type': 'team' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
          ],
        })
      ).items.sort((a, b) =>
        (a.metadata.title ?? a.metadata.name).localeCompare(
          b.metadata.title ?? b.metadata.name,
        ),
      ),
    [catalogApi],
  );
  // Scorecard rollups are optional: a 404 (no scorecards yet) or an error leaves the column empty.
  const rollups = useLoad(
    () => api.getTeamScorecards().catch(() => undefined),
    [api],
  );
  const rows = useMemo((): TeamRow[] => {
    const scorecardsOf = (teamRef: string) => {
      const items = (rollups.value?.items ?? []).filter(
        r => r.teamRef.toLowerCase() === teamRef.toLowerCase(),
      );
      const entities = items.reduce((n, r) => n + r.entities, 0);
      if (!entities) return undefined;
      return `${scoreText(
        items.reduce((s, r) => s + r.averageScore * r.entities, 0) / entities,
      )} over ${items.length} scorecard${items.length === 1 ? '' : 's'}`;
    };
    return [
      { entity: 'org', name: 'Whole organisation' },
      ...(teams.value ?? []).map(team => {
        const ref = stringifyEntityRef(team);
        return {
          entity: ref,
          name: team.metadata.title ?? team.metadata.name,
          href: `/catalog/${team.metadata.namespace ?? 'default'}/group/${
            team.metadata.name
          }/dora`,
          scorecards: scorecardsOf(ref),
        };
      }),
    ];
  }, [teams.value, rollups.value]);
  // asked once the teams are known: the organisation and every team, in batches
  const metrics = useMetricsOfMany(
    useMemo(
      () => (teams.value ? rows.map(r => r.entity) : []),
      [rows, teams.value],
    ),
    props.windowDays,
  );
  const data = useMemo(
    () => rows.map(r => ({ ...r, metrics: metrics[r.entity] })),
    [rows, metrics],
  );
  const columns = useMemo(
    () => columnsFor(props.windowDays),
    [props.windowDays],
  );

  if (teams.loading && !teams.value) return <Progress />;
  if (teams.error) return <ResponseErrorPanel error={teams.error} />;
  return (
    <>
      <NamedTable
        label="Teams"
        columns={columns}
        data={data}
        options={{ toolbar: true, search: true, showTitle: false }}
      />
      {rows.length === 1 && (
        <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
          The catalog has no groups of type team.
        </Typography>
      )}
    </>
  );
}
