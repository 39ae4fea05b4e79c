import { EnvironmentState } from '@internal/plugin-environments-common';

/** "3 h 20 min left", "expired", or "—" when there is no expiry yet. */
export function timeLeft(
  expiresAt: string | undefined,
  now = Date.now(),
): string {
  if (!expiresAt) return '—';
  const ms = new Date(expiresAt).getTime() - now;
  if (ms <= 0) return 'expired';
  const hours = Math.floor(ms / 3600_000);
  const minutes = Math.floor((ms % 3600_000) / 60_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days left`;
  return hours > 0 ? `${hours} h ${minutes} min left` : `${minutes} min left`;
}

export function costPerDay(costPerHour: number): string {
  return (costPerHour * 24).toFixed(2);
}

export const STATE_COLORS: Record<
  EnvironmentState,
  'default' | 'primary' | 'success' | 'warning' | 'error' | 'info'
> = {
  requested: 'default',
  pending_approval: 'warning',
  rejected: 'default',
  queued: 'info',
  provisioning: 'info',
  active: 'success',
  updating: 'info',
  destroying: 'warning',
  destroyed: 'default',
  quarantined: 'error',
};
