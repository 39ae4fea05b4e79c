import fc from 'fast-check';
import { connectionStringSecrets, REDACTED, Redactor } from './Redactor';

describe('Redactor', () => {
  it('removes every known secret, longest first, and its URL-encoded form', () => {
    const url = 'postgresql://admin:p%40ss%2Fword-1234@db:5432/postgres';
    const r = new Redactor([
      ...connectionStringSecrets(url),
      'b6a1d0c4e7f2489c',
      'abc',
      42,
    ]);
    expect(r.redact(`psql ${url} -c select`)).toBe(
      `psql ${REDACTED} -c select`,
    );
    expect(r.redact('PGPASSWORD=p@ss/word-1234 and p%40ss%2Fword-1234')).toBe(
      `PGPASSWORD=${REDACTED} and ${REDACTED}`,
    );
    expect(r.redact('token b6a1d0c4e7f2489cb6a1d0c4e7f2489c')).toBe(
      `token ${REDACTED}${REDACTED}`,
    );
    expect(r.redact('abc is too short to be redacted')).toBe(
      'abc is too short to be redacted',
    );
    expect(
      r.with(['another-secret']).redact('another-secret b6a1d0c4e7f2489c'),
    ).toBe(`${REDACTED} ${REDACTED}`);
    expect(r.redact('another-secret')).toBe('another-secret'); // `with` made a new one
  });

  it('never leaves a secret in the text, whatever surrounds it (fast-check, seeded)', () => {
    // secrets from characters that "[redacted]" does not contain, so that no secret can be spelled
    // across a replacement; the text around them is anything
    const secret = fc.stringMatching(/^[g-qsu-z0-9_-]{4,20}$/);
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 5 }),
        fc.array(fc.string(), { maxLength: 6 }),
        (secrets, parts) => {
          const text = parts
            .flatMap((p, i) => [p, secrets[i % secrets.length]])
            .join('');
          const out = new Redactor(secrets).redact(text);
          return secrets.every(s => !out.includes(s));
        },
      ),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('is linear in the text: 4 MiB with 10 secrets in well under a second', () => {
    const secrets = Array.from(
      { length: 10 },
      (_, i) => `secret-${i}-${'x'.repeat(20)}`,
    );
    const r = new Redactor(secrets);
    const text = ('a'.repeat(1000) + secrets[3]).repeat(4096);
    const t = performance.now();
    const out = r.redact(text);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(out).not.toContain(secrets[3]);
  });
});
