import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { WINDOWS, WindowDays } from '../lib/window';

/** 7, 30 or 90 days. */
export function WindowSelector(props: {
  value: WindowDays;
  onChange: (days: WindowDays) => void;
}) {
  return (
    <ToggleButtonGroup
      exclusive
      size="small"
      value={props.value}
      onChange={(_, v) => v && props.onChange(v)}
      aria-label="Window"
    >
      {WINDOWS.map(days => (
        <ToggleButton key={days} value={days} aria-label={`${days} days`}>
          {days} days
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
