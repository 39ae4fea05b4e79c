import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/** A key from `environments.secrets.keys`: an id (stored with each value) and its secret. */
export interface SecretKey {
  id: string;
  secret: string;
}

/** Key ids are stored in every encrypted value, between colons. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const PREFIX = 'enc:v1:';

/**
 * Encrypts values kept in the database (secret outputs, generated secrets) with AES-256-GCM.
 *
 * The first key encrypts; every key decrypts, so a key is rotated by adding a new key in front,
 * letting the startup pass re-encrypt every row with it (`EnvironmentStore.secrets.reencrypt`), then
 * removing the old key. Each key's 32 bytes come from its secret through HKDF-SHA256. A value is
 * stored as `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), bound to where it is stored by
 * the additional authenticated data (`aad`, for example the column and the environment id), so a
 * value copied to another row does not decrypt.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly primary: string;

  constructor(keys: SecretKey[]) {
    if (keys.length === 0)
      throw new Error('environments.secrets.keys: at least one key is needed');
    this.keys = new Map();
    keys.forEach((k, i) => {
      if (!KEY_ID_PATTERN.test(k.id))
        throw new Error(
          `environments.secrets.keys[${i}].id: must be 1-32 letters, digits, _ or -`,
        );
      if (this.keys.has(k.id))
        throw new Error(
          `environments.secrets.keys[${i}].id: ${k.id} is used twice`,
        );
      if (!k.secret)
        throw new Error(
          `environments.secrets.keys[${i}].secret: must not be empty`,
        );
      this.keys.set(
        k.id,
        Buffer.from(
          hkdfSync('sha256', k.secret, 'portal-environments-secrets', k.id, 32),
        ),
      );
    });
    this.primary = keys[0].id;
  }

  /** The id of the key that encrypts. */
  get primaryKeyId(): string {
    return this.primary;
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(
      'aes-256-gcm',
      this.keys.get(this.primary)!,
      iv,
    );
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    return `${PREFIX}${this.primary}:${iv.toString('base64url')}:${cipher
      .getAuthTag()
      .toString('base64url')}:${data.toString('base64url')}`;
  }

  /** Decrypts a stored value; a value stored before encryption (not `enc:`) is returned as it is. */
  decrypt(stored: string, aad: string): string {
    if (!SecretBox.isEncrypted(stored)) return stored;
    const [kid, iv, tag, data] = stored.slice(PREFIX.length).split(':');
    const key = this.keys.get(kid);
    if (!key)
      throw new Error(
        `a secret is encrypted with key ${kid}, which is not in environments.secrets.keys`,
      );
    const decipher = createDecipheriv(
      'aes-256-gcm',
      key,
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        `a secret encrypted with key ${kid} does not decrypt (wrong key, or moved from another row)`,
      );
    }
  }

  /** True when the value is not encrypted, or encrypted with a key other than the first. */
  needsReencryption(stored: string): boolean {
    return !stored.startsWith(`${PREFIX}${this.primary}:`);
  }

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }
}
