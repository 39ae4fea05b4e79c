import http from 'node:http';
import { OpaUnavailableError } from './OpaClient';

/**
 * JSON requests to one OPA's HTTP API over HTTP/1.1 with keep-alive. Each request has its own
 * timeout; every failure (unreachable, timeout, a status other than 200, a body that is not JSON)
 * is an OpaUnavailableError that says which.
 */
export class OpaTransport {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  /** `base` ends with a slash; request paths are relative to it. */
  constructor(readonly base: URL) {}

  request(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    timeoutMs: number,
  ): Promise<unknown> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method,
        agent: this.agent,
        headers: payload
          ? {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }
          : {},
      });
      const timer = setTimeout(() => {
        req.destroy(
          new OpaUnavailableError(
            'timeout',
            `OPA did not answer ${url.pathname} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      req.on('response', res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(
              new OpaUnavailableError(
                'http-error',
                `OPA answered HTTP ${res.statusCode} for ${method} ${
                  url.pathname
                }: ${text.slice(0, 300)}`,
              ),
            );
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(
              new OpaUnavailableError(
                'malformed',
                `OPA answered something that is not JSON for ${
                  url.pathname
                }: ${text.slice(0, 100)}`,
              ),
            );
          }
        });
      });
      req.on('error', err => {
        clearTimeout(timer);
        reject(
          err instanceof OpaUnavailableError
            ? err
            : new OpaUnavailableError(
                'unreachable',
                `OPA at ${this.base.origin} is unreachable: ${err.message}`,
                err,
              ),
        );
      });
      req.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  destroy(): void {
    this.agent.destroy();
  }
}
