/** What the home page needs of an environment. */
export interface EnvironmentSummary {
  state: string;
  expiresAt?: string;
  ttlHours: number;
}

/**
 * When the environment ends, as the home page says it: "3 h 20 min left", "2 days left",
 * "expired", "ends 24 h after it is active" (not active yet), or what is happening to it.
 */
export function expiryText(env: EnvironmentSummary, now = Date.now()): string {
  if (env.state === 'destroying') return 'being destroyed';
  if (env.state === 'quarantined')
    return 'destroy failed: the platform team must act';
  if (!env.expiresAt) return `ends ${env.ttlHours} h after it is active`;
  const ms = new Date(env.expiresAt).getTime() - now;
  if (!Number.isFinite(ms)) return '—';
  if (ms <= 0) return 'expired';
  const hours = Math.floor(ms / 3600_000);
  const minutes = Math.floor((ms % 3600_000) / 60_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days left`;
  return hours > 0 ? `${hours} h ${minutes} min left` : `${minutes} min left`;
}
