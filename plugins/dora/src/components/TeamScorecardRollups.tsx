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
import { shortRef } from '../lib/format';
import { gradeCountsText, scoreText } from '../lib/scorecards';
import { GradeBadge } from './GradeBadge';

/** A team's scorecards: per scorecard, its entities' average score, grades, and each entity. */
export function TeamScorecardRollups(props: { teamRef: string }) {
  const api = useApi(doraApiRef);
  const rollups = useLoad(
    () => api.getTeamScorecards(props.teamRef),
    [api, props.teamRef],
  );
  const items = (rollups.value?.items ?? []).filter(
    r => r.teamRef.toLowerCase() === props.teamRef.toLowerCase(),
  );
  return (
    <Box component="section" aria-label="Team scorecards">
      <Typography variant="h5" component="h2" gutterBottom>
        Scorecards
      </Typography>
      {rollups.loading && <Progress />}
      {rollups.error && <ResponseErrorPanel error={rollups.error} />}
      {!rollups.loading && !rollups.error && items.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No scorecards have been evaluated for this team's entities yet.
        </Typography>
      )}
      {items.length > 0 && (
        <Table size="small" aria-label="Scorecard rollup">
          <TableHead>
            <TableRow>
              <TableCell>Scorecard</TableCell>
              <TableCell align="right">Entities</TableCell>
              <TableCell align="right">Average score</TableCell>
              <TableCell>Grades</TableCell>
              <TableCell>Entities and grades</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(r => (
              <TableRow key={r.scorecard}>
                <TableCell>{r.title}</TableCell>
                <TableCell align="right">{r.entities}</TableCell>
                <TableCell align="right">{scoreText(r.averageScore)}</TableCell>
                <TableCell>{gradeCountsText(r.grades)}</TableCell>
                <TableCell>
                  {r.items.map(i => (
                    <Box
                      key={i.entityRef}
                      sx={{
                        display: 'flex',
                        alignItems: 'center',
                        gap: 1,
                        mb: 0.5,
                      }}
                    >
                      <GradeBadge grade={i.grade} />
                      <span>
                        {shortRef(i.entityRef)} ({Math.round(i.score)})
                      </span>
                    </Box>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
