// @ts-check

/**
 * Indexes for paged lists, the per-person refusal rate limit and run retention:
 * - environments by requester and creation time (scope=mine pages, refusals in a window);
 * - environments by creation time (scope=all pages, newest first);
 * - runs by environment and creation time (an environment's runs, newest first);
 * - finished runs by finish time (the retention cleaner).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table.index(
      ['requested_by', 'created_at'],
      'environments_requested_by_created_idx',
    );
    table.index(['created_at', 'id'], 'environments_created_idx');
  });
  await knex.schema.alterTable('runs', table => {
    table.index(['environment_id', 'created_at'], 'runs_env_created_idx');
    table.index(['state', 'finished_at'], 'runs_state_finished_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropIndex(['state', 'finished_at'], 'runs_state_finished_idx');
    table.dropIndex(['environment_id', 'created_at'], 'runs_env_created_idx');
  });
  await knex.schema.alterTable('environments', table => {
    table.dropIndex(['created_at', 'id'], 'environments_created_idx');
    table.dropIndex(
      ['requested_by', 'created_at'],
      'environments_requested_by_created_idx',
    );
  });
};
