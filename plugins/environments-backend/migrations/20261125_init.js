// @ts-check

/**
 * Sandbox environments, their state history, their runs (init/plan/apply/destroy as one queue any
 * backend replica may claim) and the runs' logs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environments', table => {
    table.string('id', 36).primary();
    table.string('name', 63).notNullable();
    table.string('blueprint', 63).notNullable();
    table
      .string('owner', 255)
      .notNullable()
      .comment('the owning team, a group entity ref');
    table.string('requested_by', 255).notNullable();
    table.string('size', 63).notNullable();
    table.text('variables').notNullable().comment('JSON');
    table.float('cost_per_hour').notNullable();
    table.integer('ttl_hours').notNullable();
    table
      .datetime('expires_at')
      .nullable()
      .comment('set when the environment becomes active');
    table.string('state', 32).notNullable();
    table.boolean('drift').notNullable().defaultTo(false);
    table
      .text('outputs')
      .nullable()
      .comment('JSON; secret outputs are kept in secret_outputs');
    table.text('secret_outputs').nullable().comment('JSON');
    table
      .integer('version')
      .notNullable()
      .defaultTo(0)
      .comment('bumped by every change, for optimistic updates');
    table.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    table.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
    table.index(['owner', 'state'], 'environments_owner_state_idx');
    table.index(['state', 'expires_at'], 'environments_state_expires_idx');
    table.index(['name'], 'environments_name_idx');
  });

  await knex.schema.createTable('environment_history', table => {
    table.increments('id');
    table
      .string('environment_id', 36)
      .notNullable()
      .references('id')
      .inTable('environments')
      .onDelete('CASCADE');
    table.string('from_state', 32).nullable();
    table.string('to_state', 32).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('a user entity ref, or system:<task> for scheduled work');
    table.text('reason').nullable();
    table
      .string('decision_id', 64)
      .nullable()
      .comment("OPA's decision id, when a policy decided");
    table.datetime('at').notNullable().defaultTo(knex.fn.now());
    table.index(['environment_id'], 'environment_history_env_idx');
  });

  await knex.schema.createTable('runs', table => {
    table.string('id', 36).primary();
    table
      .string('environment_id', 36)
      .notNullable()
      .references('id')
      .inTable('environments')
      .onDelete('CASCADE');
    table.string('kind', 16).notNullable().comment('apply | destroy | refresh');
    table
      .string('state', 16)
      .notNullable()
      .comment('queued | running | succeeded | failed');
    table.integer('attempt').notNullable().defaultTo(1);
    table.string('claimed_by', 255).nullable();
    table.datetime('heartbeat_at').nullable();
    table
      .datetime('not_before')
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('retry backoff');
    table.text('error').nullable();
    table.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    table.datetime('started_at').nullable();
    table.datetime('finished_at').nullable();
    table.index(['state', 'not_before'], 'runs_state_not_before_idx');
    table.index(['environment_id'], 'runs_env_idx');
  });

  await knex.schema.createTable('run_logs', table => {
    table.bigIncrements('id');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable();
    table.string('level', 8).notNullable();
    table.text('message').notNullable();
    table.datetime('at').notNullable().defaultTo(knex.fn.now());
    table.unique(['run_id', 'seq'], { indexName: 'run_logs_run_seq_uq' });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('run_logs');
  await knex.schema.dropTable('runs');
  await knex.schema.dropTable('environment_history');
  await knex.schema.dropTable('environments');
};
