import {
  Content,
  ContentHeader,
  Header,
  Page,
} from '@backstage/core-components';
import Box from '@mui/material/Box';
import { useState } from 'react';
import { DEFAULT_WINDOW, WindowDays } from '../lib/window';
import { TeamsMetricsTable } from './TeamsMetricsTable';
import { TemplateAdoptionTables } from './TemplateAdoptionTables';
import { TimeToFirstDeployTable } from './TimeToFirstDeployTable';
import { WindowSelector } from './WindowSelector';

/** /engineering-metrics: every team's DORA metrics and levels, template adoption and time to first deploy. */
export function EngineeringMetricsPage() {
  const [windowDays, setWindowDays] = useState<WindowDays>(DEFAULT_WINDOW);
  return (
    <Page themeId="tool">
      <Header
        title="Engineering metrics"
        subtitle="DORA metrics per team, golden-path template adoption, and time to first deploy"
      />
      <Content>
        <ContentHeader title="Teams">
          <WindowSelector value={windowDays} onChange={setWindowDays} />
        </ContentHeader>
        <TeamsMetricsTable windowDays={windowDays} />
        <Box sx={{ mt: 4 }}>
          <TemplateAdoptionTables windowDays={windowDays} />
        </Box>
        <Box sx={{ mt: 4 }}>
          <TimeToFirstDeployTable windowDays={windowDays} />
        </Box>
      </Content>
    </Page>
  );
}
