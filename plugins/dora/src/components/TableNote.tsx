import Typography from '@mui/material/Typography';

/** The most rows a drill-down table shows at once. */
export const MAX_ROWS = 200;

/** Under a table: nothing, "none in this window", or how many of the rows are shown. */
export function TableNote(props: { total: number; empty: string }) {
  if (props.total === 0) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
        {props.empty}
      </Typography>
    );
  }
  if (props.total <= MAX_ROWS) return null;
  return (
    <Typography
      variant="caption"
      color="text.secondary"
      sx={{ p: 1, display: 'block' }}
    >
      Showing the first {MAX_ROWS} of {props.total} rows.
    </Typography>
  );
}
