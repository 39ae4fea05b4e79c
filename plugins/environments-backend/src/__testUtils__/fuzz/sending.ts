/*
 * Test-only: how the fuzz suites send what they send (fast-check arbitraries): body encodings and
 * media types, and list query strings. Imported by the fuzz tests alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';

/** A request body as sent: its bytes and the headers that describe them. */
export interface Sent {
  contentType?: string;
  contentEncoding?: string;
  raw: string | Buffer;
}

/** A body as plain JSON. */
export const json = (body: unknown): Sent => ({
  contentType: 'application/json',
  raw: JSON.stringify(body) ?? 'null',
});

/** Any way of sending a body: charsets, BOMs, gzip (valid or not), other media types, malformed or huge JSON. */
export const encoding = fc.oneof(
  fc.constant<(b: unknown) => Sent>(json),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json; charset=utf-8',
    raw: `\ufeff${JSON.stringify(b)}`,
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json; charset=utf-16',
    raw: Buffer.from(JSON.stringify(b) ?? '', 'utf16le'),
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json; charset=koi8-r',
    raw: JSON.stringify(b) ?? '',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    contentEncoding: 'gzip',
    raw: gzipSync(JSON.stringify(b) ?? ''),
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    contentEncoding: 'gzip',
    raw: `${JSON.stringify(b) ?? ''}not gzip`,
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    contentEncoding: 'br',
    raw: JSON.stringify(b) ?? '',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'text/plain',
    raw: JSON.stringify(b) ?? '',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/x-www-form-urlencoded',
    raw: `name=${encodeURIComponent(String((b as any)?.name))}`,
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    raw: (JSON.stringify(b) ?? '').slice(0, -1),
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"name": "a", "name": "b", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"__proto__": {"polluted": "yes"}, "name": "p", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"constructor": {"prototype": {"polluted": "yes"}}}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"variables": {"__proto__": {"service": "orders"}}, "name": "p", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: `{"name": "${'a'.repeat(70_000)}"}`,
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: `${'['.repeat(5000)}${']'.repeat(5000)}`,
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: `{"ttlHours": 1${'0'.repeat(
      400,
    )}, "name": "n", "blueprint": "workspace", "owner": "group:default/payments"}`,
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"name": "\\ud800", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  })),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    'mine',
    'team',
    'all',
    'active',
    'queued,active',
    'bogus',
    '1',
    '0',
    '-1',
    '200',
    '201',
    '2000',
    '1e2',
    '9'.repeat(30),
    '',
    ' 5',
    '5 ',
    '0x10',
  ),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'WzEsImEiXQ',
    'WzAsIiJd',
    'eyJ4IjoxfQ',
    'W251bGwsbnVsbF0',
    'WzEuNSwiYSJd',
    'W10',
    '!!',
    'a'.repeat(300),
  ),
);
const queryKey = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom('scope', 'state', 'limit', 'cursor', 'after'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'scope[]',
      'limit[a]',
      '__proto__[polluted]',
      'constructor[prototype][polluted]',
      'x',
      '',
    ),
  },
);
const rawEncode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as bytes
  }
};
/** A list's query string: known and unknown keys, nested keys, bad numbers, cursors and encodings. */
export const queryString = fc
  .tuple(
    fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
    fc.constantFrom('', '&%zz=1', '&limit=%', '&cursor=%E0%A4%A'),
  )
  .map(
    ([pairs, tail]) =>
      pairs.map(([k, v]) => `${rawEncode(k)}=${rawEncode(v)}`).join('&') + tail,
  );
