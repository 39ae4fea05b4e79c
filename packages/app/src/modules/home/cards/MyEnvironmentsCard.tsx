import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { environmentsApiRef } from '@internal/plugin-environments';
import { TERMINAL_STATES } from '@internal/plugin-environments-common';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useLoad } from '../useLoad';
import { expiryText } from './environmentExpiry';

/** The most environments the card lists; the Environments page has the rest. */
export const MAX_ENVIRONMENTS = 8;

const SANDBOX_TEMPLATE = '/create/templates/default/sandbox-environment';

/**
 * "My environments": the newest page of the environments the signed-in person's teams own (and
 * their own), without those destroyed or rejected, each with its state and when it expires.
 */
export function MyEnvironmentsCard() {
  const api = useApi(environmentsApiRef);
  const page = useLoad(() => api.list('team'), [api]);

  if (page.loading && !page.value) return <Progress />;
  if (page.error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load your environments"
        message={page.error.message}
      />
    );
  }
  // destroyed and rejected ones are left off
  const live = (page.value?.items ?? []).filter(
    e => !TERMINAL_STATES.includes(e.state),
  );
  return (
    <>
      {live.length === 0 ? (
        <Typography variant="body2">
          You have no environments. Request one with the{' '}
          <Link to={SANDBOX_TEMPLATE}>Request a sandbox environment</Link>{' '}
          template.
        </Typography>
      ) : (
        <List dense aria-label="My environments">
          {live.slice(0, MAX_ENVIRONMENTS).map(e => (
            <ListItem key={e.id} disableGutters>
              <ListItemText
                primary={
                  <>
                    <Link to={`/environments/${e.id}`}>{e.name}</Link>{' '}
                    <Chip size="small" label={e.state} />
                  </>
                }
                secondary={`${e.blueprint} for ${e.owner.replace(
                  /^group:default\//,
                  '',
                )}: ${expiryText(e)}`}
                title={
                  e.expiresAt
                    ? `Expires ${new Date(e.expiresAt).toLocaleString()}`
                    : undefined
                }
              />
            </ListItem>
          ))}
        </List>
      )}
      <Typography variant="body2">
        <Link to="/environments">All environments</Link>
      </Typography>
    </>
  );
}
