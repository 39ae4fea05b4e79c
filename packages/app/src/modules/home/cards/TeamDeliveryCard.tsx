import { Link, Progress, WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useMyTeams } from '../useMyTeams';
import { HOME_WINDOW_DAYS, TeamDelivery } from './TeamDelivery';

/**
 * "My teams' delivery": for each team the signed-in person belongs to, its DORA levels over the
 * last 30 days (from the dora plugin's API) and its scorecards.
 */
export function TeamDeliveryCard() {
  const teams = useMyTeams();
  if (teams.loading && !teams.value) return <Progress />;
  if (teams.error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load your teams"
        message={teams.error.message}
      />
    );
  }
  const list = teams.value ?? [];
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        DORA levels over the last {HOME_WINDOW_DAYS} days.
      </Typography>
      {list.length === 0 && (
        <Typography variant="body2">
          You are not a member of a team in the catalog.
        </Typography>
      )}
      {list.map(team => (
        <TeamDelivery key={team.ref} team={team} />
      ))}
      <Typography variant="body2">
        <Link to="/engineering-metrics">Every team's metrics</Link>
      </Typography>
    </>
  );
}
