// The HTTP service: routes, JSON answers and a graceful stop. Node's standard library only.
import http from 'node:http';

export const SERVICE_NAME = ${{ values.name | dump }};

/** The longest `name` GET /hello accepts. */
export const MAX_NAME_LENGTH = 100;

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Creates the service's HTTP server (not yet listening). Routes:
 *   GET /health        200 {"status":"ok"}; 503 {"status":"stopping"} once stop() was called
 *   GET /hello?name=x  200 {"message":"Hello, x!","service":"<name>"}
 *   anything else      404 {"error":"..."} (405 for a known path with another method)
 * The server has a `stop()` method: see stopGracefully below.
 */
export function createServer() {
  let stopping = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[url.pathname];
    if (!route) {
      sendJson(res, 404, { error: `no route for ${url.pathname}` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { error: `${req.method} is not allowed on ${url.pathname}; use GET` },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    route(url, res, { stopping });
  });
  server.stop = (options = {}) => {
    stopping = true;
    return stopGracefully(server, options);
  };
  return server;
}

const routes = {
  '/health': (_url, res, { stopping }) => {
    if (stopping) sendJson(res, 503, { status: 'stopping' });
    else sendJson(res, 200, { status: 'ok' });
  },
  '/hello': (url, res) => {
    const name = url.searchParams.get('name') ?? 'world';
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      sendJson(res, 400, {
        error: `name: must be 1 to ${MAX_NAME_LENGTH} characters`,
      });
      return;
    }
    sendJson(res, 200, { message: `Hello, ${name}!`, service: SERVICE_NAME });
  },
};

/**
 * Stops accepting connections, lets requests in flight finish, closes idle keep-alive connections,
 * and after `timeoutMs` closes whatever is left. Resolves once the server is closed.
 */
export function stopGracefully(server, { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(error => {
      clearTimeout(timer);
      if (error && error.code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
