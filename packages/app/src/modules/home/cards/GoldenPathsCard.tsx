import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useLoad } from '../useLoad';

/** The tag that makes a template a golden path. */
export const GOLDEN_PATH_TAG = 'golden-path';
/** The most templates the card lists; the Create page has them all. */
export const MAX_TEMPLATES = 10;

/** "Golden paths": the catalog's templates tagged golden-path, each linking to its form. */
export function GoldenPathsCard() {
  const catalogApi = useApi(catalogApiRef);
  const templates = useLoad(
    () =>
      catalogApi.queryEntities({
        filter: { kind: 'Template', 'metadata.tags': GOLDEN_PATH_TAG },
        fields: [
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
          'metadata.description',
        ],
        orderFields: { field: 'metadata.title', order: 'asc' },
        limit: MAX_TEMPLATES,
      }),
    [catalogApi],
  );

  if (templates.loading && !templates.value) return <Progress />;
  if (templates.error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load the templates"
        message={templates.error.message}
      />
    );
  }
  const items = templates.value?.items ?? [];
  return (
    <>
      {items.length === 0 ? (
        <Typography variant="body2">No golden-path templates yet.</Typography>
      ) : (
        <List dense aria-label="Golden paths">
          {items.map(t => {
            const namespace = t.metadata.namespace ?? 'default';
            return (
              <ListItem key={`${namespace}/${t.metadata.name}`} disableGutters>
                <ListItemText
                  primary={
                    <Link
                      to={`/create/templates/${namespace}/${t.metadata.name}`}
                    >
                      {t.metadata.title ?? t.metadata.name}
                    </Link>
                  }
                  secondary={t.metadata.description}
                />
              </ListItem>
            );
          })}
        </List>
      )}
      <Typography variant="body2">
        <Link to="/create">Every template</Link>
      </Typography>
    </>
  );
}
