// @ts-check

/**
 * DORA: raw deliveries (idempotent on source + delivery id, a queue for normalisation), the
 * normalised deployments, changes and incidents, the links between them with how each was made,
 * and template runs from the scaffolder.
 *
 * Every time is epoch milliseconds in a bigint column, so that durations and windows are plain
 * integer arithmetic on both PostgreSQL and SQLite.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_deliveries', table => {
    table.bigIncrements('id');
    table
      .string('source', 100)
      .notNullable()
      .comment('configured source id, or "api"');
    table
      .string('source_type', 16)
      .notNullable()
      .comment('github | gitlab | cdevents | api');
    table.string('delivery_id', 255).notNullable();
    table.string('event_type', 255).notNullable();
    table
      .text('payload')
      .notNullable()
      .comment('the body as received (JSON text)');
    table
      .text('headers')
      .nullable()
      .comment('JSON: the event headers kept for normalising');
    table
      .string('sender', 255)
      .nullable()
      .comment('JSON API: the principal from the Backstage credentials');
    table.string('status', 16).notNullable().defaultTo('pending');
    table.text('reason').nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('received_at').notNullable();
    table
      .bigInteger('not_before')
      .notNullable()
      .defaultTo(0)
      .comment('retry backoff');
    table.bigInteger('claimed_at').nullable();
    table.bigInteger('processed_at').nullable();
    table.unique(['source', 'delivery_id'], {
      indexName: 'dora_deliveries_source_delivery_uq',
    });
    table.index(['status', 'not_before'], 'dora_deliveries_status_idx');
  });

  await knex.schema.createTable('dora_deployments', table => {
    table.string('id', 255).primary().comment('<source>:<external id>');
    table
      .string('subject', 255)
      .notNullable()
      .comment(
        'component ref, or repo:<slug> / service:<name> when unattributed',
      );
    table.string('component_ref', 255).nullable();
    table
      .string('team_ref', 255)
      .nullable()
      .comment("the component's owner when the event happened");
    table.string('repo', 255).nullable();
    table.string('service', 255).nullable();
    table.string('environment', 255).notNullable();
    table.boolean('production').notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('success | failure | pending');
    table
      .boolean('counted')
      .notNullable()
      .defaultTo(false)
      .comment('a successful production deployment');
    table.string('sha', 64).nullable();
    table.string('ref', 255).nullable();
    table.text('description').nullable();
    table.string('url', 1000).nullable();
    table.bigInteger('deployed_at').notNullable();
    table
      .string('incident_ref', 255)
      .nullable()
      .comment('the incident this deployment answers, when it says so');
    table
      .boolean('rollback')
      .notNullable()
      .defaultTo(false)
      .comment('the event said it is a rollback');
    table
      .string('rework', 16)
      .nullable()
      .comment('rollback | revert | hotfix | incident (derived)');
    table
      .string('failure', 16)
      .nullable()
      .comment('incident | rolled-back (derived)');
    table
      .bigInteger('recovered_at')
      .nullable()
      .comment('rolled-back: when the rollback was deployed');
    table.string('rolled_back_by', 255).nullable();
    table.bigInteger('delivery_id').nullable();
    table.index(['subject', 'deployed_at'], 'dora_deployments_subject_idx');
    table.index(
      ['team_ref', 'counted', 'deployed_at'],
      'dora_deployments_team_idx',
    );
    table.index(
      ['component_ref', 'counted', 'deployed_at'],
      'dora_deployments_component_idx',
    );
    table.index(['counted', 'deployed_at'], 'dora_deployments_org_idx');
  });

  await knex.schema.createTable('dora_changes', table => {
    table.string('id', 255).primary().comment('<repo>@<sha>');
    table.string('subject', 255).notNullable();
    table.string('component_ref', 255).nullable();
    table.string('team_ref', 255).nullable();
    table.string('repo', 255).notNullable();
    table.string('sha', 64).notNullable();
    table
      .bigInteger('committed_at')
      .notNullable()
      .comment('start of the lead time');
    table
      .bigInteger('landed_at')
      .notNullable()
      .comment('reached the default branch');
    table.integer('pull_request').nullable();
    table.text('title').nullable();
    table.boolean('revert').notNullable().defaultTo(false);
    table.boolean('hotfix').notNullable().defaultTo(false);
    table.index(['subject', 'landed_at'], 'dora_changes_subject_idx');
    table.index(['repo', 'sha'], 'dora_changes_repo_sha_idx');
  });

  await knex.schema.createTable('dora_incidents', table => {
    table.string('id', 255).primary();
    table.string('subject', 255).notNullable();
    table.string('component_ref', 255).nullable();
    table.string('team_ref', 255).nullable();
    table.text('title').nullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('resolved_at').nullable();
    table
      .string('deployment_ref', 255)
      .nullable()
      .comment('explicit reference to the deployment that caused it');
    table.string('root_cause_sha', 64).nullable();
    table.string('url', 1000).nullable();
    table.index(['subject', 'started_at'], 'dora_incidents_subject_idx');
    table.index(['team_ref', 'started_at'], 'dora_incidents_team_idx');
    table.index(
      ['component_ref', 'started_at'],
      'dora_incidents_component_idx',
    );
    table.index(['started_at'], 'dora_incidents_org_idx');
  });

  // Derived: rebuilt per subject by the linker. The deployment's team, component and time are
  // copied here so that lead times are read from one index.
  await knex.schema.createTable('dora_deployment_changes', table => {
    table
      .string('deployment_id', 255)
      .notNullable()
      .references('id')
      .inTable('dora_deployments')
      .onDelete('CASCADE');
    table
      .string('change_id', 255)
      .notNullable()
      .references('id')
      .inTable('dora_changes')
      .onDelete('CASCADE');
    table.string('linked_by', 32).notNullable();
    table.string('subject', 255).notNullable();
    table.string('component_ref', 255).nullable();
    table.string('team_ref', 255).nullable();
    table.bigInteger('deployed_at').notNullable();
    table.bigInteger('lead_time_ms').notNullable();
    table.primary(['change_id']);
    table.index(['deployment_id'], 'dora_dc_deployment_idx');
    table.index(['subject'], 'dora_dc_subject_idx');
    table.index(
      ['team_ref', 'deployed_at', 'lead_time_ms'],
      'dora_dc_team_idx',
    );
    table.index(
      ['component_ref', 'deployed_at', 'lead_time_ms'],
      'dora_dc_component_idx',
    );
    table.index(['deployed_at', 'lead_time_ms'], 'dora_dc_org_idx');
  });

  await knex.schema.createTable('dora_incident_deployments', table => {
    table
      .string('incident_id', 255)
      .notNullable()
      .references('id')
      .inTable('dora_incidents')
      .onDelete('CASCADE');
    table
      .string('deployment_id', 255)
      .notNullable()
      .references('id')
      .inTable('dora_deployments')
      .onDelete('CASCADE');
    table.string('subject', 255).notNullable();
    table.string('linked_by', 32).notNullable();
    table.string('confidence', 8).notNullable();
    table.primary(['incident_id', 'deployment_id']);
    table.index(['deployment_id'], 'dora_id_deployment_idx');
    table.index(['subject'], 'dora_id_subject_idx');
  });

  await knex.schema.createTable('dora_template_runs', table => {
    table.string('task_id', 255).primary();
    table.string('template_ref', 255).notNullable();
    table.string('created_by', 255).nullable();
    table
      .string('team_ref', 255)
      .nullable()
      .comment("the runner's team when the task ran");
    table.string('status', 16).notNullable();
    table
      .string('component_ref', 255)
      .nullable()
      .comment('the component the run created, when known');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('synced_at').notNullable();
    table.index(['created_at'], 'dora_template_runs_created_idx');
    table.index(['component_ref'], 'dora_template_runs_component_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_template_runs');
  await knex.schema.dropTable('dora_incident_deployments');
  await knex.schema.dropTable('dora_deployment_changes');
  await knex.schema.dropTable('dora_incidents');
  await knex.schema.dropTable('dora_changes');
  await knex.schema.dropTable('dora_deployments');
  await knex.schema.dropTable('dora_deliveries');
};
