import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../secrets/SecretBox';

/** Columns of `environments` whose values are encrypted with the SecretBox. */
export const SECRET_COLUMNS = ['secret_outputs', 'generated_secrets'] as const;
export type SecretColumn = (typeof SECRET_COLUMNS)[number];

/**
 * The environments' secrets at rest: their secret outputs and the secrets the portal generates for
 * their modules, stored encrypted (AES-256-GCM, bound to the row and the column) in the
 * environments table. Reached as `EnvironmentStore.secrets`.
 */
export class EnvironmentSecrets {
  constructor(private readonly db: Knex, private readonly box: SecretBox) {}

  /** `value` as stored in `column` of environment `id`: encrypted with the first key. */
  seal(id: string, column: SecretColumn, value: Record<string, unknown>) {
    return this.box.encrypt(JSON.stringify(value), `${column}:${id}`);
  }

  private open(
    id: string,
    column: SecretColumn,
    stored: string | null | undefined,
  ): Record<string, unknown> {
    return stored
      ? JSON.parse(this.box.decrypt(stored, `${column}:${id}`))
      : {};
  }

  /** An environment's secret outputs (only for callers allowed to see them), decrypted. */
  async outputs(id: string): Promise<Record<string, unknown>> {
    const row = await this.db('environments')
      .where({ id })
      .select('secret_outputs')
      .first();
    if (!row) throw new NotFoundError(`no environment with id ${id}`);
    return this.open(id, 'secret_outputs', row.secret_outputs);
  }

  /**
   * The secrets the portal generates for an environment's module (a blueprint's
   * spec.runner.generatedSecrets), creating the missing ones: 32 random hex characters each, stored
   * encrypted before the first run uses them, so that every attempt and every replica passes the
   * same values and the runner knows them (to redact them) whatever the run prints.
   */
  async generated(
    id: string,
    names: readonly string[],
  ): Promise<Record<string, string>> {
    for (;;) {
      const row = await this.db('environments')
        .where({ id })
        .select('generated_secrets')
        .first();
      if (!row) throw new NotFoundError(`no environment with id ${id}`);
      const current = this.open(
        id,
        'generated_secrets',
        row.generated_secrets,
      ) as Record<string, string>;
      const missing = names.filter(n => typeof current[n] !== 'string');
      if (missing.length === 0) return current;
      const next = { ...current };
      for (const name of missing) next[name] = randomBytes(16).toString('hex');
      const q = this.db('environments').where({ id });
      if (row.generated_secrets === null || row.generated_secrets === undefined)
        q.whereNull('generated_secrets');
      else q.where('generated_secrets', row.generated_secrets);
      // a concurrent writer (another replica's attempt) wins; read its values again
      if (
        (await q.update({
          generated_secrets: this.seal(id, 'generated_secrets', next),
        })) === 1
      )
        return next;
    }
  }

  /**
   * Encrypts, with the first key of environments.secrets.keys, every stored secret that is in
   * plain text (written before encryption) or encrypted with another key (after a rotation), a
   * page of rows at a time. Run at every start; returns how many values it rewrote.
   */
  async reencrypt(pageSize = 200): Promise<number> {
    let rewritten = 0;
    let after = '';
    for (;;) {
      const rows = await this.db('environments')
        .select('id', 'secret_outputs', 'generated_secrets')
        .where('id', '>', after)
        .andWhere(q =>
          q.whereNotNull('secret_outputs').orWhereNotNull('generated_secrets'),
        )
        .orderBy('id')
        .limit(pageSize);
      for (const row of rows) {
        for (const column of SECRET_COLUMNS) {
          const stored: string | null = row[column];
          if (!stored || !this.box.needsReencryption(stored)) continue;
          const sealed = this.seal(
            row.id,
            column,
            this.open(row.id, column, stored),
          );
          rewritten += await this.db('environments')
            .where({ id: row.id, [column]: stored })
            .update({ [column]: sealed });
        }
      }
      if (rows.length < pageSize) return rewritten;
      after = rows[rows.length - 1].id;
    }
  }
}
