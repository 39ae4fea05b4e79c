import { ScorecardGrade } from '@internal/plugin-dora-common';
import Chip from '@mui/material/Chip';
import { GRADE_COLORS, gradeLabel } from '../lib/levels';

/** A scorecard grade in its medal colour. */
export function GradeBadge(props: {
  grade: ScorecardGrade;
  size?: 'small' | 'medium';
}) {
  const c = GRADE_COLORS[props.grade] ?? GRADE_COLORS.none;
  return (
    <Chip
      size={props.size ?? 'small'}
      label={gradeLabel(props.grade)}
      aria-label={`grade ${props.grade}`}
      sx={{ backgroundColor: c.background, color: c.text, fontWeight: 600 }}
    />
  );
}
