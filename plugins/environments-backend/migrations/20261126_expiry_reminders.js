// @ts-check

/**
 * Expiry reminders: the expiry an environment's owners were last reminded of. A reminder is due
 * again when the expiry moves (an extension).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table
      .datetime('reminded_for')
      .nullable()
      .comment('the expires_at of the last expiry reminder');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('reminded_for');
  });
};
