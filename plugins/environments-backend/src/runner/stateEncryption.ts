import { hkdfSync } from 'node:crypto';

/**
 * OpenTofu's own state encryption (OpenTofu 1.7 and later), configured through the TF_ENCRYPTION
 * environment variable rather than in the modules, so that every blueprint's state is encrypted
 * without the blueprint doing anything: AES-GCM for state and plan files, and an `unencrypted`
 * fallback so that states written before encryption was turned on are still read (and written
 * back encrypted by the next apply or destroy).
 *
 * The key is derived once, here, from `environments.state.encryption.passphrase` (HKDF-SHA256),
 * and handed to OpenTofu by an `external` key provider: two lines of shell that print the key
 * from the environment variable STATE_KEY_VARIABLE. The runner decrypts the state itself to read
 * outputs (tofuState.ts), with the same key. OpenTofu's own `pbkdf2` key provider would derive
 * it again, with 600,000 rounds of SHA-512, every time a command reads or writes state (about
 * 0.3 s each on the development machines, several times a run): that made creating a
 * postgres-sandbox about 4 times as slow as a plain `tofu apply`. A passphrase of at least 32
 * random characters, as production requires, needs no such stretching.
 */

/** The shortest passphrase the runner takes (production requires 32, see secretsConfig.ts). */
export const MIN_TOFU_PASSPHRASE_LENGTH = 16;

/** Where the external key provider finds the key (base64, 32 bytes) in OpenTofu's environment. */
export const STATE_KEY_VARIABLE = 'PORTAL_TOFU_STATE_KEY';

/**
 * OpenTofu's external key provider protocol (version 1): a header line, then the keys on stdout.
 * The same key encrypts and decrypts, so the metadata OpenTofu sends on stdin is not needed (Go's
 * exec ignores the closed pipe). A fixed POSIX shell script with no input of its own: it starts in
 * about a millisecond, where Node.js took about 0.1 s, and a run starts it several times. The key
 * is base64, which has nothing a shell or printf would interpret. No `${` or `%{` in here (HCL).
 */
const KEY_PROVIDER_SCRIPT = [
  `printf '%s\\n' '{"magic":"OpenTofu-External-Key-Provider","version":1}'`,
  `printf '{"keys":{"encryption_key":"%s","decryption_key":"%s"},"meta":{"external_data":{"kdf":"hkdf-sha256-v1"}}}' "$${STATE_KEY_VARIABLE}" "$${STATE_KEY_VARIABLE}"`,
].join('\n');

/** The state key for a passphrase: 32 bytes of HKDF-SHA256, base64. */
export function tofuStateKey(passphrase: string): string {
  if (passphrase.length < MIN_TOFU_PASSPHRASE_LENGTH) {
    throw new Error(
      `environments.state.encryption.passphrase must be at least ${MIN_TOFU_PASSPHRASE_LENGTH} characters`,
    );
  }
  return Buffer.from(
    hkdfSync(
      'sha256',
      passphrase,
      'acme-portal/opentofu-state',
      'aes-gcm-256 v1',
      32,
    ),
  ).toString('base64');
}

/**
 * OpenTofu's environment for encrypted state: TF_ENCRYPTION (JSON, which OpenTofu accepts as well
 * as HCL; in HCL's JSON syntax a reference such as `keys` is the bare traversal string) and the key.
 */
export function tofuEncryptionEnv(passphrase: string): Record<string, string> {
  const target = {
    method: 'method.aes_gcm.portal',
    fallback: { method: 'method.unencrypted.migrate' },
  };
  const config = JSON.stringify({
    key_provider: {
      external: { portal: { command: ['/bin/sh', '-c', KEY_PROVIDER_SCRIPT] } },
    },
    method: {
      aes_gcm: { portal: { keys: 'key_provider.external.portal' } },
      unencrypted: { migrate: {} },
    },
    state: target,
    plan: target,
  });
  return {
    TF_ENCRYPTION: config,
    [STATE_KEY_VARIABLE]: tofuStateKey(passphrase),
  };
}
