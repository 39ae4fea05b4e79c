import { MetricsEntity } from '@internal/plugin-dora-common';
import { Knex } from 'knex';

/*
 * An entity's rows: a component's by component_ref, a team's by team_ref (the owner recorded when
 * the event happened), the organisation's all of them.
 */

/** A query narrowed to an entity's rows; `prefix` is a table alias with its dot (`l.`). */
export function scoped<T extends Knex.QueryBuilder>(
  builder: T,
  entity: MetricsEntity,
  prefix = '',
): T {
  if (entity.kind === 'org') return builder;
  return builder.where(
    `${prefix}${entity.kind === 'component' ? 'component_ref' : 'team_ref'}`,
    entity.ref,
  ) as T;
}

/** The same for a raw statement: a condition to put first in its where clause (with `and`), and its bindings. */
export function scopeSql(entity: MetricsEntity): {
  sql: string;
  bindings: string[];
} {
  if (entity.kind === 'org') return { sql: '', bindings: [] };
  return {
    sql: `${
      entity.kind === 'component' ? 'component_ref' : 'team_ref'
    } = ? and `,
    bindings: [entity.ref],
  };
}

/** An entity's scope in dora_lead_time_days: `org`, `component:<ref>` or `team:<ref>`. */
export function leadTimeScope(entity: MetricsEntity): string {
  return entity.kind === 'org' ? 'org' : `${entity.kind}:${entity.ref}`;
}
