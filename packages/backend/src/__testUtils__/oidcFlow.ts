/*
 * The OIDC sign-in as a browser's popup makes it, over plain HTTP: the backend's
 * /api/auth/oidc/start, the provider's login form and consent page (the local Gitea's), the
 * provider's redirect back to the backend's handler/frame, which answers with the page that posts
 * the Backstage identity to the app. Each side keeps its own cookies, as a browser does.
 */

/** A browser's cookies for one site: name → value, from Set-Cookie headers. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(a =>
        /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(prefix: string): boolean {
    return [...this.cookies.keys()].some(k => k.startsWith(prefix));
  }
}

/** A request without following redirects; the jar sends and keeps the cookies. */
export async function step(
  jar: CookieJar,
  url: string,
  init: {
    method?: string;
    form?: Record<string, string>;
    headers?: object;
  } = {},
): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: {
      Cookie: jar.header(),
      ...(init.form
        ? { 'Content-Type': 'application/x-www-form-urlencoded' }
        : {}),
      ...init.headers,
    },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
  jar.take(res);
  return res;
}

/** Follows redirects within one site (the jar's), returning the first answer that is not one, or the redirect that leaves. */
export async function follow(
  jar: CookieJar,
  url: string,
  site: string,
  init?: { form?: Record<string, string> },
): Promise<{ res: Response; url: string }> {
  let res = await step(jar, url, init);
  let at = url;
  for (
    let hops = 0;
    hops < 10 && res.status >= 300 && res.status < 400;
    hops++
  ) {
    const next = new URL(res.headers.get('location')!, at).toString();
    if (new URL(next).origin !== site) return { res, url: next };
    at = next;
    res = await step(jar, at);
  }
  return { res, url: at };
}

/** The inputs of the first form on an HTML page that posts to a URL ending with `action`. */
export function formFields(
  html: string,
  action: string,
): Record<string, string> {
  const form = html
    .split('<form')
    .slice(1)
    .map(f => f.slice(0, f.indexOf('</form>')))
    .find(f => (/action="([^"]*)"/.exec(f)?.[1] ?? '').endsWith(action));
  if (!form) throw new Error(`the page has no form posting to ${action}`);
  const fields: Record<string, string> = {};
  for (const input of form.split('<input').slice(1)) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    const value = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    if (name) fields[name] = unescapeHtml(value);
  }
  return fields;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
};

/** An HTML attribute's text: named and numeric character references decoded (Gitea writes + as &#43;). */
export function unescapeHtml(text: string): string {
  return text.replace(
    /&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi,
    (whole, ref: string) => {
      if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? whole;
      const hex = ref[1].toLowerCase() === 'x';
      return String.fromCodePoint(
        parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10),
      );
    },
  );
}

/** The message the handler/frame page posts to the app: the identity, or an error. */
export function frameMessage(html: string): any {
  const encoded = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(
    html,
  )?.[1];
  if (!encoded)
    throw new Error(`not an auth response page: ${html.slice(0, 300)}`);
  return JSON.parse(decodeURIComponent(encoded));
}

/** The payload of a JWT, unverified (the test reads what the backend issued). */
export function jwtPayload(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}
