import type { FetchMiddleware } from '@backstage/core-app-api';
import type { DiscoveryApi } from '@backstage/core-plugin-api';

interface Refusal {
  at: number;
  permission: string;
  read?: boolean;
  result: 'deny' | 'conditional';
  reasons: string[];
}

/**
 * When a call to the backend comes back 403, asks the permission backend for the signed-in
 * person's latest refusal (GET /api/permission/opa/refusals) and puts the policy's reasons into
 * the error message, so every page that shows a backend error shows why, not a bare "Forbidden".
 * The response keeps its status; only its JSON error message grows.
 */
export function explainRefusals(options: {
  discoveryApi: DiscoveryApi;
}): FetchMiddleware {
  return {
    apply(next) {
      return async (input, init) => {
        const response = await next(input, init);
        if (response.status !== 403) return response;
        const url = urlOf(input);
        if (url.includes('/opa/refusals')) return response;
        try {
          const base = await options.discoveryApi.getBaseUrl('permission');
          const refusals = await next(`${base}/opa/refusals`, {
            headers: authHeader(init),
          });
          if (!refusals.ok) return response;
          const { items } = (await refusals.json()) as { items: Refusal[] };
          const refusal = refusalFor(await response.clone().text(), items);
          if (!refusal || refusal.reasons.length === 0) return response;
          return withReasons(response, refusal);
        } catch {
          return response;
        }
      };
    },
  };
}

/**
 * The refusal behind a 403: the one whose permission the error message names (a page asks many
 * questions at once, so the latest refusal may be another's), else the latest refusal of an action.
 */
export function refusalFor(
  message: string,
  items: Refusal[],
): Refusal | undefined {
  return (
    items.find(r => message.includes(r.permission)) ?? items.find(r => !r.read)
  );
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function authHeader(init?: RequestInit): Record<string, string> {
  const headers = new Headers(init?.headers);
  const auth = headers.get('authorization');
  return auth ? { authorization: auth } : {};
}

/** The same 403, with "Refused by policy: <reasons>" in its error message. */
export async function withReasons(
  response: Response,
  refusal: Refusal,
): Promise<Response> {
  const text = await response.clone().text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = {
      error: { name: 'NotAllowedError', message: text || response.statusText },
    };
  }
  const why = `Refused by policy (${
    refusal.permission
  }): ${refusal.reasons.join('; ')}`;
  body.error = { ...(body.error ?? { name: 'NotAllowedError' }) };
  body.error.message = body.error.message
    ? `${body.error.message}. ${why}`
    : why;
  body.response = body.response ?? { statusCode: 403 };
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return new Response(JSON.stringify(body), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
