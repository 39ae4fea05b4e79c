import { Content, Header, Page } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Grid, { GridSize } from '@material-ui/core/Grid';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import { arrangeWidgets, DEFAULT_HOME_LAYOUT } from './arrangeWidgets';

/**
 * The portal's home page: a header, then the widgets the layout names on a 12-column grid, each
 * as tall as its content (rather than the upstream grid's fixed-height, draggable cells).
 */
export function HomeLayout({ widgets, defaultConfig }: HomePageLayoutProps) {
  const title =
    useApi(configApiRef).getOptionalString('app.title') ??
    'Acme Developer Portal';
  const placed = arrangeWidgets(widgets, defaultConfig ?? DEFAULT_HOME_LAYOUT);
  return (
    <Page themeId="home">
      <Header
        title={title}
        subtitle="Your environments, your teams' delivery and the golden paths"
      />
      <Content>
        <Grid container spacing={3} alignItems="stretch">
          {placed.map(({ widget, width }) => (
            <Grid item xs={12} md={width as GridSize} key={widget.name}>
              {widget.component}
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
