import { ScorecardCheckResult } from '@internal/plugin-dora-common';
import Chip from '@mui/material/Chip';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { OUTCOME_COLORS } from '../lib/levels';
import { exemptionExpiry, exemptionText } from '../lib/scorecards';

/** One check: passed, failed or exempt, why, and for an exemption its reason, approver and expiry. */
export function ScorecardCheckRow(props: { check: ScorecardCheckResult }) {
  const { check } = props;
  const expiry = check.exemption ? exemptionExpiry(check.exemption) : undefined;
  return (
    <ListItem
      disableGutters
      alignItems="flex-start"
      aria-label={`${check.title}: ${check.outcome}`}
    >
      <Chip
        size="small"
        label={check.outcome}
        color={OUTCOME_COLORS[check.outcome] ?? 'default'}
        sx={{ mr: 1, mt: 0.5, minWidth: 64 }}
      />
      <ListItemText
        primary={
          <>
            {check.title}{' '}
            <Typography
              component="span"
              variant="caption"
              color="text.secondary"
            >
              weight {check.weight}
            </Typography>
          </>
        }
        secondary={
          <>
            <Typography component="span" variant="body2" display="block">
              {check.detail}
            </Typography>
            {check.exemption && (
              <Typography
                component="span"
                variant="body2"
                display="block"
                color={expiry?.expired ? 'error.main' : 'text.secondary'}
              >
                {exemptionText(check.exemption)}
              </Typography>
            )}
          </>
        }
      />
    </ListItem>
  );
}
