import { Table, TableColumn, TableProps } from '@backstage/core-components';
import Typography from '@mui/material/Typography';
import { ReactNode, useLayoutEffect, useRef } from 'react';

/** Rows on a page of a table, and the page sizes one can pick. */
export const PAGE_SIZE = 20;
export const PAGE_SIZE_OPTIONS = [20, 50, 100];

/**
 * Backstage's table (sorting, paging, a search box when it has a title) with the portal's
 * defaults, for every list that can grow. `label` names the table for assistive technology and
 * tests (role table, name label); `empty` is what it shows when there are no rows.
 */
export function NamedTable<T extends object>(props: {
  label: string;
  columns: TableColumn<T>[];
  data: T[];
  title?: string;
  empty?: ReactNode;
  options?: TableProps<T>['options'];
  onRowClick?: TableProps<T>['onRowClick'];
}) {
  const { label, columns, data, title, empty, options, onRowClick } = props;
  const ref = useRef<HTMLDivElement>(null);
  // The table component gives its <table> no name, and its pager is a second <table>: name the
  // first, the one with the rows.
  useLayoutEffect(() => {
    ref.current?.querySelector('table')?.setAttribute('aria-label', label);
  });
  return (
    <div ref={ref}>
      <Table<T>
        title={title}
        columns={columns}
        data={data}
        onRowClick={onRowClick}
        emptyContent={
          empty && (
            <Typography variant="body2" sx={{ p: 1 }}>
              {empty}
            </Typography>
          )
        }
        options={{
          padding: 'dense',
          paging: true,
          pageSize: PAGE_SIZE,
          pageSizeOptions: PAGE_SIZE_OPTIONS,
          emptyRowsWhenPaging: false,
          toolbar: Boolean(title),
          search: Boolean(title),
          draggable: false,
          ...options,
        }}
      />
    </div>
  );
}
