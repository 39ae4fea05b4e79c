import { createDecipheriv } from 'node:crypto';
import fs from 'node:fs';
import knexFactory, { Knex } from 'knex';

/** An output as `tofu output -json` and the state file both describe it. */
export type OutputValue = { value: unknown; sensitive: boolean };

export type StateLocation = { file: string } | { schema: string };

/**
 * An environment's OpenTofu state, read and removed without starting OpenTofu: in a local state
 * file, or in the pg backend (a `states` table in a schema of its own).
 */
export class TofuState {
  private knex?: Knex;

  constructor(
    private readonly state:
      | { type: 'local' }
      | { type: 'pg'; connectionString: string },
    /** The AES-256-GCM key of an encrypted state (stateEncryption.ts), base64. */
    private readonly stateKey?: string,
  ) {}

  private db(): Knex {
    if (this.state.type !== 'pg') throw new Error('not a pg backend');
    this.knex ??= knexFactory({
      client: 'pg',
      connection: this.state.connectionString,
      pool: { min: 0, max: 2 },
    });
    return this.knex;
  }

  /**
   * The outputs (state format version 4), where `tofu output -json` would start one more process
   * to read the same thing. Undefined when the state is missing or in a format this does not
   * know, so that the caller can ask `tofu output` instead.
   */
  async outputs(
    where: StateLocation,
  ): Promise<Record<string, OutputValue> | undefined> {
    let raw: string | undefined;
    if ('file' in where) {
      raw = await fs.promises
        .readFile(where.file, 'utf8')
        .catch(() => undefined);
    } else {
      const result = await this.db()
        .withSchema(where.schema)
        .select('data')
        .from('states')
        .where({ name: 'default' })
        .first()
        .catch(() => undefined);
      raw = result?.data;
    }
    if (!raw) return undefined;
    const state = this.decrypt(JSON.parse(raw));
    if (
      state?.version !== 4 ||
      typeof state.outputs !== 'object' ||
      state.outputs === null
    )
      return undefined;
    return Object.fromEntries(
      Object.entries(
        state.outputs as Record<
          string,
          { value: unknown; sensitive?: boolean }
        >,
      ).map(([name, o]) => [
        name,
        { value: o.value, sensitive: o.sensitive === true },
      ]),
    );
  }

  /**
   * The plain state of an encrypted one: OpenTofu's aes_gcm method writes `encrypted_data` as
   * base64 of a 12-byte nonce, the ciphertext and a 16-byte tag, with no additional data.
   * Undefined when it cannot be decrypted (another key, another method), so that `tofu output`
   * decides; a plain state is returned as it is.
   */
  private decrypt(state: any): any {
    if (typeof state?.encrypted_data !== 'string') return state;
    if (!this.stateKey) return undefined;
    try {
      const data = Buffer.from(state.encrypted_data, 'base64');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        Buffer.from(this.stateKey, 'base64'),
        data.subarray(0, 12),
      );
      decipher.setAuthTag(data.subarray(data.length - 16));
      return JSON.parse(
        Buffer.concat([
          decipher.update(data.subarray(12, data.length - 16)),
          decipher.final(),
        ]).toString('utf8'),
      );
    } catch {
      return undefined;
    }
  }

  /** Removes the state of a destroyed environment: its file, or its schema in the pg backend. */
  async remove(where: StateLocation): Promise<void> {
    if ('file' in where) {
      await fs.promises.rm(where.file, { force: true });
      await fs.promises.rm(`${where.file}.backup`, { force: true });
    } else {
      await this.db().raw('DROP SCHEMA IF EXISTS ?? CASCADE', [where.schema]);
    }
  }

  async close(): Promise<void> {
    await this.knex?.destroy();
    this.knex = undefined;
  }
}
