import { DoraLevel } from '@internal/plugin-dora-common';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import {
  levelColor,
  levelLabel,
  levelTooltip,
  NoLevelReason,
} from '../lib/levels';

/** A DORA level (elite, high, medium, low) under a named benchmark, or why there is none. */
export function LevelBadge(props: {
  level?: DoraLevel;
  benchmark: string;
  reason?: NoLevelReason;
}) {
  const { level, benchmark, reason } = props;
  const label = levelLabel(level, reason);
  const title = levelTooltip(level, benchmark, reason);
  return (
    <Tooltip title={title}>
      <Chip
        size="small"
        label={level ? `${label} (${benchmark})` : label}
        color={levelColor(level)}
        aria-label={`level ${level ?? 'none'}`}
      />
    </Tooltip>
  );
}
