// @ts-check

/**
 * Scorecard results with their history: a row per entity and scorecard each time the result
 * changes (or a day has passed); the latest row of a pair is its current result, until the entity
 * leaves the catalog (retired).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_results', table => {
    table.increments('id');
    table.string('scorecard', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('the entity owner when evaluated');
    table.float('score').notNullable();
    table.string('grade', 16).notNullable();
    table.text('checks').notNullable().comment('JSON: ScorecardCheckResult[]');
    table.datetime('evaluated_at').notNullable();
    table
      .datetime('last_seen_at')
      .notNullable()
      .comment('the last evaluation that found the same result');
    table.boolean('latest').notNullable().defaultTo(true);
    table.boolean('retired').notNullable().defaultTo(false);
    table.index(
      ['entity_ref', 'scorecard', 'evaluated_at'],
      'scorecard_results_entity_idx',
    );
    table.index(['latest', 'owner_ref'], 'scorecard_results_latest_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_results');
};
