// Starts the service on PORT (default 8080) and stops it gracefully on SIGTERM or SIGINT.
import { createServer, SERVICE_NAME } from './server.js';

const port = Number(process.env.PORT || 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `PORT: must be a port number (0 to 65535), not ${process.env.PORT}`,
  );
  process.exit(1);
}

const log = (message, fields = {}) =>
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      service: SERVICE_NAME,
      message,
      ...fields,
    }),
  );

const server = createServer();
server.listen(port, () => {
  log('listening', { port: server.address().port });
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    log('stopping', { signal });
    try {
      await server.stop({ timeoutMs: 10_000 });
      log('stopped');
      process.exit(0);
    } catch (error) {
      log('stop failed', { error: String(error) });
      process.exit(1);
    }
  });
}
