import {
  ScorecardHistoryPoint,
  ScorecardResult,
} from '@internal/plugin-dora-common';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import Typography from '@mui/material/Typography';
import { formatDateTime } from '../lib/format';
import { historySeries, scoreText } from '../lib/scorecards';
import { GradeBadge } from './GradeBadge';
import { ScorecardCheckRow } from './ScorecardCheckRow';
import { Sparkline } from './Sparkline';

/** One scorecard's latest result for an entity: grade, score, its history, and each check. */
export function ScorecardResultView(props: {
  result: ScorecardResult & { history: ScorecardHistoryPoint[] };
}) {
  const { result } = props;
  const history = historySeries(result.history ?? []);
  return (
    <Box
      component="section"
      aria-label={`Scorecard ${result.title}`}
      sx={{ mb: 2 }}
    >
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1.5,
          flexWrap: 'wrap',
        }}
      >
        <Typography variant="subtitle1" component="h3">
          {result.title}
        </Typography>
        <GradeBadge grade={result.grade} />
        <Typography
          variant="body1"
          aria-label={`score ${Math.round(result.score)}`}
        >
          {scoreText(result.score)}
        </Typography>
        <Sparkline
          data={history}
          label={`${result.title} score history`}
          width={120}
          height={32}
          domain={[0, 100]}
          format={v => scoreText(v)}
        />
      </Box>
      <Typography variant="caption" color="text.secondary">
        Evaluated {formatDateTime(result.evaluatedAt)}
      </Typography>
      <List dense disablePadding aria-label={`Checks of ${result.title}`}>
        {result.checks.map(check => (
          <ScorecardCheckRow key={check.id} check={check} />
        ))}
      </List>
    </Box>
  );
}
