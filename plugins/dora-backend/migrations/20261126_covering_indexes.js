// @ts-check

/**
 * The metrics read deployments and incidents of one team (or component, or the organisation) in a
 * window: with the columns they aggregate in the index, PostgreSQL answers from the index alone
 * (an index-only scan) instead of visiting one heap page per deployment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_deployments', table => {
    table.dropIndex([], 'dora_deployments_team_idx');
    table.dropIndex([], 'dora_deployments_component_idx');
    table.dropIndex([], 'dora_deployments_org_idx');
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.index(
      [
        'team_ref',
        'counted',
        'deployed_at',
        'rework',
        'failure',
        'recovered_at',
      ],
      'dora_deployments_team_idx',
    );
    table.index(
      [
        'component_ref',
        'counted',
        'deployed_at',
        'rework',
        'failure',
        'recovered_at',
      ],
      'dora_deployments_component_idx',
    );
    table.index(
      ['counted', 'deployed_at', 'rework', 'failure', 'recovered_at'],
      'dora_deployments_org_idx',
    );
  });
  await knex.schema.alterTable('dora_incidents', table => {
    table.dropIndex([], 'dora_incidents_team_idx');
    table.dropIndex([], 'dora_incidents_component_idx');
    table.dropIndex([], 'dora_incidents_org_idx');
  });
  await knex.schema.alterTable('dora_incidents', table => {
    table.index(
      ['team_ref', 'started_at', 'resolved_at'],
      'dora_incidents_team_idx',
    );
    table.index(
      ['component_ref', 'started_at', 'resolved_at'],
      'dora_incidents_component_idx',
    );
    table.index(['started_at', 'resolved_at'], 'dora_incidents_org_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dora_incidents', table => {
    table.dropIndex([], 'dora_incidents_team_idx');
    table.dropIndex([], 'dora_incidents_component_idx');
    table.dropIndex([], 'dora_incidents_org_idx');
  });
  await knex.schema.alterTable('dora_incidents', table => {
    table.index(['team_ref', 'started_at'], 'dora_incidents_team_idx');
    table.index(
      ['component_ref', 'started_at'],
      'dora_incidents_component_idx',
    );
    table.index(['started_at'], 'dora_incidents_org_idx');
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.dropIndex([], 'dora_deployments_team_idx');
    table.dropIndex([], 'dora_deployments_component_idx');
    table.dropIndex([], 'dora_deployments_org_idx');
  });
  await knex.schema.alterTable('dora_deployments', table => {
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
};
