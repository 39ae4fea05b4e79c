import { Content, Header, Page } from '@backstage/core-components';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes, useParams } from 'react-router-dom';
import { EnvironmentDetail } from './EnvironmentDetail';
import { EnvironmentList } from './EnvironmentList';

/**
 * /environments: the list; /environments/:id: one environment. Its routes are React Router v6's,
 * given to the page explicitly by the adapter (Backstage 1.57's PageBlueprint).
 */
export function EnvironmentsPage() {
  return (
    <ReactRouterV6PageRouter>
      <Page themeId="tool">
        <Header
          title="Environments"
          subtitle="Sandbox environments, provisioned from blueprints, within the platform team's guardrails"
        />
        <Content>
          <Routes>
            <Route path="/" element={<EnvironmentList />} />
            <Route path="/:id" element={<EnvironmentRoute />} />
          </Routes>
        </Content>
      </Page>
    </ReactRouterV6PageRouter>
  );
}

function EnvironmentRoute() {
  const { id = '' } = useParams();
  return <EnvironmentDetail id={id} />;
}
