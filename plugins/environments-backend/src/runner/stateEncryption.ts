/**
 * OpenTofu's own state encryption (OpenTofu 1.7 and later), configured through the TF_ENCRYPTION
 * environment variable rather than in the modules, so that every blueprint's state is encrypted
 * without the blueprint doing anything: a pbkdf2 key provider with the passphrase from
 * `environments.state.encryption.passphrase`, AES-GCM for state and plan files, and an
 * `unencrypted` fallback so that states written before encryption was turned on are still read
 * (and written back encrypted by the next apply or destroy).
 */

/** OpenTofu's pbkdf2 key provider refuses shorter passphrases. */
export const MIN_TOFU_PASSPHRASE_LENGTH = 16;

/**
 * The value of TF_ENCRYPTION for a passphrase (JSON, which OpenTofu accepts as well as HCL). In
 * HCL's JSON syntax a reference (`keys`, `method`) is written as the bare traversal string.
 */
export function tofuEncryptionConfig(passphrase: string): string {
  if (passphrase.length < MIN_TOFU_PASSPHRASE_LENGTH) {
    throw new Error(`environments.state.encryption.passphrase must be at least ${MIN_TOFU_PASSPHRASE_LENGTH} characters`);
  }
  const target = {
    method: 'method.aes_gcm.portal',
    fallback: { method: 'method.unencrypted.migrate' },
  };
  return JSON.stringify({
    key_provider: { pbkdf2: { portal: { passphrase: escapeTemplate(passphrase) } } },
    method: { aes_gcm: { portal: { keys: 'key_provider.pbkdf2.portal' } }, unencrypted: { migrate: {} } },
    state: target,
    plan: target,
  });
}

/** Strings in HCL's JSON syntax are templates: `${` and `%{` in a literal are written `$${` and `%%{`. */
function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
