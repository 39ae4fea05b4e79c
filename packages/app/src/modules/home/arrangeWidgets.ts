import type {
  HomePageDefaultConfigItem,
  HomePageWidgetData,
} from '@backstage/plugin-home-react/alpha';

/**
 * The home page as Acme ships it, used when app-config sets no `page:home` `defaultConfig`:
 * the search bar across the top, then two columns. Widgets are named by their widget names.
 */
export const DEFAULT_HOME_LAYOUT: HomePageDefaultConfigItem[] = [
  { component: 'HomePageSearchBar', row: 0, column: 0, width: 12, height: 2 },
  { component: 'MyEnvironments', row: 1, column: 0, width: 6, height: 5 },
  { component: 'TeamDelivery', row: 1, column: 6, width: 6, height: 5 },
  { component: 'GoldenPaths', row: 2, column: 0, width: 6, height: 4 },
  {
    component: 'HomePageStarredEntities',
    row: 2,
    column: 6,
    width: 6,
    height: 4,
  },
];

export interface PlacedWidget {
  widget: HomePageWidgetData;
  /** Columns of the 12-column grid, from 1 to 12. */
  width: number;
}

/**
 * The widgets the layout names, in reading order (row, then column), each with its width. Widgets
 * the layout does not name are not shown; names without an installed widget are skipped.
 */
export function arrangeWidgets(
  widgets: HomePageWidgetData[],
  layout: HomePageDefaultConfigItem[],
): PlacedWidget[] {
  const byName = new Map(widgets.map(w => [w.name, w]));
  return [...layout]
    .sort((a, b) => a.row - b.row || a.column - b.column)
    .flatMap(item => {
      const widget = byName.get(item.component);
      if (!widget) return [];
      return [{ widget, width: Math.min(12, Math.max(1, item.width)) }];
    });
}
