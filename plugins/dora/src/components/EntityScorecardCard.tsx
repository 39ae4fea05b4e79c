import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { ScorecardResultView } from './ScorecardResultView';

/** The entity overview's Scorecards card: each scorecard's grade, score, history and checks. */
export function EntityScorecardCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(doraApiRef);
  const scorecards = useLoad(
    () => api.getEntityScorecards(entityRef),
    [api, entityRef],
  );
  const results = scorecards.value?.results ?? [];
  return (
    <InfoCard title="Scorecards">
      {scorecards.loading && <Progress />}
      {scorecards.error && <ResponseErrorPanel error={scorecards.error} />}
      {!scorecards.loading && !scorecards.error && results.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No scorecards have been evaluated for this entity yet.
        </Typography>
      )}
      {results.map(result => (
        <ScorecardResultView key={result.scorecard} result={result} />
      ))}
    </InfoCard>
  );
}
