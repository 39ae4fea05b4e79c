import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { shortRef } from '../lib/format';
import { adoptionBy, AdoptionTotal } from '../lib/platform';

function AdoptionTable(props: {
  label: string;
  keyTitle: string;
  distinctTitle: string;
  rows: AdoptionTotal[];
}) {
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>{props.keyTitle}</TableCell>
          <TableCell align="right">Runs</TableCell>
          <TableCell align="right">Succeeded</TableCell>
          <TableCell align="right">{props.distinctTitle}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(r => (
          <TableRow key={r.key}>
            <TableCell>{shortRef(r.key)}</TableCell>
            <TableCell align="right">{r.runs}</TableCell>
            <TableCell align="right">{r.succeeded}</TableCell>
            <TableCell align="right">{r.distinct}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Template runs from the scaffolder, per team and per template. */
export function TemplateAdoptionTables(props: { windowDays: number }) {
  const api = useApi(doraApiRef);
  const rows = useLoad(
    () => api.getTemplateAdoption({ windowDays: props.windowDays }),
    [api, props.windowDays],
  );
  return (
    <Box component="section" aria-label="Template adoption">
      <Typography variant="h5" component="h2" gutterBottom>
        Template adoption
      </Typography>
      {rows.loading && <Progress />}
      {rows.error && <ResponseErrorPanel error={rows.error} />}
      {rows.value && rows.value.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No template runs in the last {props.windowDays} days.
        </Typography>
      )}
      {rows.value && rows.value.length > 0 && (
        <Box
          sx={{
            display: 'grid',
            gap: 3,
            gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
          }}
        >
          <AdoptionTable
            label="Template runs per team"
            keyTitle="Team"
            distinctTitle="Templates used"
            rows={adoptionBy(rows.value, 'team')}
          />
          <AdoptionTable
            label="Template runs per template"
            keyTitle="Template"
            distinctTitle="Teams"
            rows={adoptionBy(rows.value, 'template')}
          />
        </Box>
      )}
    </Box>
  );
}
