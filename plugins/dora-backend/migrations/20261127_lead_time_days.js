// @ts-check

/**
 * Lead times by day: for every (scope, UTC day) the sorted lead times of the changes shipped by
 * that day's production deployments, where scope is `org`, `team:<group ref>` or
 * `component:<component ref>`. Rebuilt with the links (same transaction), read by the metrics for
 * the whole days of a window (the partial days at its edges come from the links themselves), so a
 * 90-day percentile reads 90 rows instead of every change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_lead_time_days', table => {
    table.string('scope', 300).notNullable();
    table.integer('day').notNullable().comment('days since 1970-01-01 (UTC)');
    table.integer('n').notNullable();
    table
      .text('lead_times_ms')
      .notNullable()
      .comment('ascending, as base64 of big-endian float64 milliseconds');
    table.primary(['scope', 'day']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_lead_time_days');
};
