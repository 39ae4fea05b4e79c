import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { doraApiRef } from '@internal/plugin-dora';
import { DoraLevel, METRIC_NAMES } from '@internal/plugin-dora-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { MyTeam } from '../useMyTeams';
import { useLoad } from '../useLoad';
import { levelText, METRIC_SHORT_TITLES, scorecardTexts } from './deliveryText';

/** The window the home page shows DORA levels over. */
export const HOME_WINDOW_DAYS = 30;

const LEVEL_COLORS: Record<DoraLevel, string> = {
  elite: '#2e7d32',
  high: '#1565c0',
  medium: '#ef6c00',
  low: '#c62828',
};

/** One team: its DORA level on each of the five metrics, and its scorecards' average scores. */
export function TeamDelivery({ team }: { team: MyTeam }) {
  const api = useApi(doraApiRef);
  const metrics = useLoad(
    () => api.getMetrics({ entity: team.ref, windowDays: HOME_WINDOW_DAYS }),
    [api, team.ref],
  );
  // Scorecards are optional: undefined (none yet) or an error leaves the line out.
  const scorecards = useLoad(
    () => api.getTeamScorecards(team.ref).catch(() => undefined),
    [api, team.ref],
  );
  const cards = scorecardTexts(scorecards.value?.items ?? [], team.ref);

  return (
    <Box component="section" aria-label={`${team.title} delivery`} mb={2}>
      <Typography variant="subtitle1" component="h3">
        <Link to={`/catalog/${team.namespace}/group/${team.name}/dora`}>
          {team.title}
        </Link>
      </Typography>
      {metrics.error && (
        <Typography variant="body2" color="error">
          DORA metrics unavailable: {metrics.error.message}
        </Typography>
      )}
      {metrics.loading && !metrics.value && (
        <Typography variant="body2" color="textSecondary">
          Loading DORA metrics…
        </Typography>
      )}
      {metrics.value && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }} my={0.5}>
          {METRIC_NAMES.map(name => {
            const metric = metrics.value!.metrics[name];
            const level = metric?.insufficientData ? undefined : metric?.level;
            const text = `${METRIC_SHORT_TITLES[name]}: ${levelText(metric)}`;
            return (
              <Chip
                key={name}
                size="small"
                label={text}
                aria-label={text}
                style={
                  level
                    ? { backgroundColor: LEVEL_COLORS[level], color: '#fff' }
                    : undefined
                }
              />
            );
          })}
        </Box>
      )}
      <Typography variant="body2" color="textSecondary">
        {cards.length > 0
          ? `Scorecards: ${cards.join('; ')}`
          : !scorecards.loading && 'No scorecards evaluated yet.'}
      </Typography>
    </Box>
  );
}
