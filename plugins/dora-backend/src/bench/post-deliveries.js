/* eslint-disable */
// Load generator for bench/dora-ingest.sh, run in a process of its own so that the backend's
// measured throughput does not pay for the client: POSTs pre-signed deliveries from an NDJSON file
// ({event, id, signature, raw} a line) to a webhook URL over keep-alive connections, `concurrency`
// in flight, and prints {"seconds": s, "statuses": {...}}.
const http = require('node:http');
const fs = require('node:fs');

const [url, file, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 16);
const events = fs.readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
const statuses = {};

function post(e) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(e.raw);
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': body.length,
          'X-GitHub-Event': e.event,
          'X-GitHub-Delivery': e.id,
          'X-Hub-Signature-256': e.signature,
        },
      },
      res => {
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

(async () => {
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) await post(events[next++]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  agent.destroy();
  process.stdout.write(JSON.stringify({ seconds, statuses }));
})().catch(e => {
  console.error(e);
  process.exit(1);
});
