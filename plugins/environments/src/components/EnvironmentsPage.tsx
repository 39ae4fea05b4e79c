import { Content, Header, Page } from '@backstage/core-components';
import { Route, Routes, useParams } from 'react-router-dom';
import { EnvironmentDetail } from './EnvironmentDetail';
import { EnvironmentList } from './EnvironmentList';

/** /environments: the list; /environments/:id: one environment. */
export function EnvironmentsPage() {
  return (
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
  );
}

function EnvironmentRoute() {
  const { id = '' } = useParams();
  return <EnvironmentDetail id={id} />;
}
