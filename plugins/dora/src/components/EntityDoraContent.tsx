import { Content } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraMetricsView } from './DoraMetricsView';

/** The "DORA" tab of a Component: its five metrics, trends and the rows behind them. */
export function EntityDoraContent() {
  const { entity } = useEntity();
  return (
    <Content>
      <DoraMetricsView entity={stringifyEntityRef(entity)} />
    </Content>
  );
}
