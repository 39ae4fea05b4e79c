import { Knex } from 'knex';

/** One UTC day in ms: the unit of dora_lead_time_days. */
export const DAY_MS = 24 * 3600_000;

/**
 * A day's sorted lead times as stored: base64 of big-endian int32 whole seconds (PostgreSQL's
 * int4send order; decoded without parsing). Four bytes a lead time, half of float64 milliseconds,
 * because reading a window's days is mostly moving these bytes; lead times are kept to the second
 * here (the links keep milliseconds), and clamped to ±68 years.
 */
export function encodeLeadTimes(valuesMs: number[]): string {
  const buf = Buffer.alloc(valuesMs.length * 4);
  valuesMs.forEach((v, i) =>
    buf.writeInt32BE(
      Math.max(-0x80000000, Math.min(0x7fffffff, Math.round(v / 1000))),
      i * 4,
    ),
  );
  return buf.toString('base64');
}

/** The lead times of encodeLeadTimes (or of several concatenated), in milliseconds. */
export function decodeLeadTimes(text: string): Float64Array {
  const buf = Buffer.from(text, 'base64');
  const seconds = new Int32Array(buf.length / 4);
  new Uint8Array(seconds.buffer).set(buf);
  // to the machine's order (little-endian on every platform Node runs the portal on)
  if (new Uint8Array(new Int32Array([1]).buffer)[0] === 1)
    Buffer.from(seconds.buffer).swap32();
  const out = new Float64Array(seconds.length);
  for (let i = 0; i < seconds.length; i++) out[i] = seconds[i] * 1000;
  return out;
}

/** The fields of a dora_deployment_changes row that say which (scope, day) pairs it counts in. */
export interface LeadTimeLinkKey {
  deployed_at: unknown;
  team_ref?: string | null;
  component_ref?: string | null;
}

/**
 * Rebuilds dora_lead_time_days for the (scope, day) pairs the given link rows fall in, from the
 * links as they are now in this transaction. On PostgreSQL each pair is locked first (in a fixed
 * order), so two replicas relinking different components never leave a day's org total without
 * the other's links.
 */
export async function rebuildLeadTimeDays(
  tx: Knex.Transaction,
  links: LeadTimeLinkKey[],
): Promise<void> {
  const isPostgres = tx.client.config.client === 'pg';
  const keys = new Map<string, { scope: string; day: number }>();
  for (const l of links) {
    const day = Math.floor(Number(l.deployed_at) / DAY_MS);
    const scopes = ['org'];
    if (l.team_ref) scopes.push(`team:${l.team_ref}`);
    if (l.component_ref) scopes.push(`component:${l.component_ref}`);
    for (const scope of scopes)
      keys.set(`${scope}\u0000${day}`, { scope, day });
  }
  // in code-unit order, the same on every replica
  const sorted = [...keys.entries()]
    .sort(([a], [b]) => {
      if (a === b) return 0;
      return a < b ? -1 : 1;
    })
    .map(([, v]) => v);
  for (const { scope, day } of sorted) {
    if (isPostgres)
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `dora_lead_time_days:${scope}:${day}`,
      ]);
    const q = tx('dora_deployment_changes')
      .where('deployed_at', '>=', day * DAY_MS)
      .where('deployed_at', '<', (day + 1) * DAY_MS)
      .orderBy('lead_time_ms')
      .pluck('lead_time_ms');
    if (scope.startsWith('team:')) q.where('team_ref', scope.slice(5));
    else if (scope.startsWith('component:'))
      q.where('component_ref', scope.slice(10));
    const values = (await q).map(Number);
    await tx('dora_lead_time_days').where({ scope, day }).delete();
    if (values.length)
      await tx('dora_lead_time_days').insert({
        scope,
        day,
        n: values.length,
        lead_times_s: encodeLeadTimes(values),
      });
  }
}
