import { Content } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ENVIRONMENT_ID_ANNOTATION } from '@internal/plugin-environments-common';
import Alert from '@mui/material/Alert';
import { EnvironmentDetail } from './EnvironmentDetail';

/**
 * The "Environment" tab of a catalog Resource that stands for a sandbox environment: the same
 * view as the environment's own page (state, actions, outputs, live log, history).
 */
export function EntityEnvironmentContent() {
  const { entity } = useEntity();
  const id = entity.metadata.annotations?.[ENVIRONMENT_ID_ANNOTATION];
  if (!id) {
    return (
      <Content>
        <Alert severity="info">
          This entity has no {ENVIRONMENT_ID_ANNOTATION} annotation, so it is
          not linked to an environment.
        </Alert>
      </Content>
    );
  }
  return (
    <Content>
      <EnvironmentDetail id={id} />
    </Content>
  );
}
