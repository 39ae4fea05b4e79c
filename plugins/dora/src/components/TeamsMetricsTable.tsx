import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { METRIC_NAMES } from '@internal/plugin-dora-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { METRIC_INFO } from '../lib/metricInfo';
import { scoreText } from '../lib/scorecards';
import { TeamMetricsRow } from './TeamMetricsRow';

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

  if (teams.loading && !teams.value) return <Progress />;
  if (teams.error) return <ResponseErrorPanel error={teams.error} />;
  const list = teams.value ?? [];
  return (
    <>
      <Table size="small" aria-label="Teams">
        <TableHead>
          <TableRow>
            <TableCell>Team</TableCell>
            {METRIC_NAMES.map(m => (
              <TableCell key={m}>{METRIC_INFO[m].title}</TableCell>
            ))}
            <TableCell>Scorecards</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TeamMetricsRow
            entity="org"
            name="Whole organisation"
            windowDays={props.windowDays}
          />
          {list.map(team => {
            const ref = stringifyEntityRef(team);
            return (
              <TeamMetricsRow
                key={ref}
                entity={ref}
                name={team.metadata.title ?? team.metadata.name}
                href={`/catalog/${team.metadata.namespace ?? 'default'}/group/${
                  team.metadata.name
                }/dora`}
                windowDays={props.windowDays}
                scorecards={scorecardsOf(ref)}
              />
            );
          })}
        </TableBody>
      </Table>
      {list.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
          The catalog has no groups of type team.
        </Typography>
      )}
    </>
  );
}
