import { Content } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import { DoraMetricsView } from './DoraMetricsView';
import { TeamScorecardRollups } from './TeamScorecardRollups';

/**
 * The "DORA" tab of a Group: the team's five metrics (rows attributed to the team that owned the
 * component when each event happened) and its scorecard rollup.
 */
export function GroupDoraContent() {
  const { entity } = useEntity();
  const teamRef = stringifyEntityRef(entity);
  return (
    <Content>
      <DoraMetricsView entity={teamRef} title="Team metrics" />
      <Box sx={{ mt: 4 }}>
        <TeamScorecardRollups teamRef={teamRef} />
      </Box>
    </Content>
  );
}
