/**
 * The backend's refusal when someone signs in but has no User in the catalog
 * (plugins/auth-backend-module-catalog-sign-in, NO_CATALOG_USER), found in an error or its causes.
 * Returns the backend's message, or undefined for any other error.
 */
export function noCatalogUserMessage(error: unknown): string | undefined {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    const message = String(e.message ?? '');
    const at = message.indexOf('No User in the catalog');
    if (at >= 0) return message.slice(at);
  }
  return undefined;
}

/** The people to ask, from app.support (the first group of links); empty when none is configured. */
export function supportContacts(
  items: Array<{
    title?: string;
    links?: Array<{ url: string; title?: string }>;
  }>,
): Array<{ url: string; title: string }> {
  return (items[0]?.links ?? []).map(l => ({
    url: l.url,
    title: l.title ?? l.url,
  }));
}
