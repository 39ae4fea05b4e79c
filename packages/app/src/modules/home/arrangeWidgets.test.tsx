import type { HomePageWidgetData } from '@backstage/plugin-home-react/alpha';
import { arrangeWidgets, DEFAULT_HOME_LAYOUT } from './arrangeWidgets';

const widget = (name: string) =>
  ({ name, component: <div />, node: {} } as unknown as HomePageWidgetData);

describe('arrangeWidgets', () => {
  it('places the named widgets in reading order with their widths, skipping unknown names', () => {
    const widgets = ['GoldenPaths', 'HomePageSearchBar', 'MyEnvironments'].map(
      widget,
    );
    const placed = arrangeWidgets(widgets, [
      { component: 'GoldenPaths', row: 1, column: 6, width: 6, height: 1 },
      { component: 'MyEnvironments', row: 1, column: 0, width: 20, height: 1 },
      {
        component: 'HomePageRandomJoke',
        row: 0,
        column: 6,
        width: 4,
        height: 1,
      },
      {
        component: 'HomePageSearchBar',
        row: 0,
        column: 0,
        width: 12,
        height: 1,
      },
    ]);
    expect(placed.map(p => [p.widget.name, p.width])).toEqual([
      ['HomePageSearchBar', 12],
      ['MyEnvironments', 12],
      ['GoldenPaths', 6],
    ]);
  });

  it('leaves out installed widgets the layout does not name', () => {
    const placed = arrangeWidgets(
      ['HomePageSearchBar', 'HomePageRandomJoke', 'HomePageWorldClock'].map(
        widget,
      ),
      DEFAULT_HOME_LAYOUT,
    );
    expect(placed.map(p => p.widget.name)).toEqual(['HomePageSearchBar']);
  });
});
