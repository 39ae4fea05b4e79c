// @ts-check

/**
 * Lead times by day in four bytes each: `lead_times_s`, base64 of big-endian int32 whole seconds,
 * replaces `lead_times_ms` (base64 of big-endian float64 milliseconds). Reading a window's days is
 * mostly moving these bytes, so they are half as many. Existing rows are converted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_lead_time_days', table => {
    table
      .text('lead_times_s')
      .nullable()
      .comment('ascending, as base64 of big-endian int32 whole seconds');
  });
  await convert(knex, 'lead_times_ms', 'lead_times_s', text => {
    const from = Buffer.from(text, 'base64');
    const to = Buffer.alloc((from.length / 8) * 4);
    for (let i = 0; i < from.length / 8; i++) {
      const seconds = Math.round(from.readDoubleBE(i * 8) / 1000);
      to.writeInt32BE(
        Math.max(-0x80000000, Math.min(0x7fffffff, seconds)),
        i * 4,
      );
    }
    return to.toString('base64');
  });
  await knex.schema.alterTable('dora_lead_time_days', table => {
    table.dropColumn('lead_times_ms');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dora_lead_time_days', table => {
    table
      .text('lead_times_ms')
      .nullable()
      .comment('ascending, as base64 of big-endian float64 milliseconds');
  });
  await convert(knex, 'lead_times_s', 'lead_times_ms', text => {
    const from = Buffer.from(text, 'base64');
    const to = Buffer.alloc((from.length / 4) * 8);
    for (let i = 0; i < from.length / 4; i++)
      to.writeDoubleBE(from.readInt32BE(i * 4) * 1000, i * 8);
    return to.toString('base64');
  });
  await knex.schema.alterTable('dora_lead_time_days', table => {
    table.dropColumn('lead_times_s');
  });
};

/**
 * Fills column `to` from column `from` in batches, until no row is left without it.
 *
 * @param {import('knex').Knex} knex
 * @param {string} from
 * @param {string} to
 * @param {(text: string) => string} recode
 */
async function convert(knex, from, to, recode) {
  for (;;) {
    const rows = await knex('dora_lead_time_days')
      .whereNull(to)
      .select('scope', 'day', from)
      .limit(1000);
    if (!rows.length) return;
    await knex.transaction(async tx => {
      for (const row of rows) {
        await tx('dora_lead_time_days')
          .where({ scope: row.scope, day: row.day })
          .update({ [to]: recode(row[from]) });
      }
    });
  }
}
