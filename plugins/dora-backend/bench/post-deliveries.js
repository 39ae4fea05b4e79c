/* eslint-disable */
// Load generator for bench/dora-ingest.sh, run in a process of its own so that the backend's
// measured throughput does not pay for the client, and kept as cheap as a client can be (as wrk
// is): every request is serialised before the clock starts, then written whole on one of
// `concurrency` keep-alive connections, one request in flight on each; a response is read only as
// far as its status line and its length. GitHub sends from its own machines; here the client
// shares the cores with the backend and PostgreSQL, so what it spends is taken from them.
//
//   node post-deliveries.js <webhook url> <ndjson file of {event, id, signature, raw}> [concurrency]
//
// Prints {"seconds": s, "statuses": {"202": n, ...}}.
const net = require('node:net');
const fs = require('node:fs');

const [url, file, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 16);
const target = new URL(url);
const port = Number(target.port || 80);

const requests = fs
  .readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map(line => {
    const e = JSON.parse(line);
    const body = Buffer.from(e.raw);
    const head =
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nX-GitHub-Event: ${e.event}\r\nX-GitHub-Delivery: ${e.id}\r\n` +
      `X-Hub-Signature-256: ${e.signature}\r\nUser-Agent: GitHub-Hookshot/bench\r\nConnection: keep-alive\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });

const statuses = {};
const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/** Length of the first complete response in buf, or -1 while it is incomplete; counts its status. */
function takeResponse(buf) {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return -1;
  const head = buf.toString('latin1', 0, headerEnd);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  let end;
  if (length) {
    end = headerEnd + 4 + Number(length[1]);
    if (buf.length < end) return -1;
  } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const last = buf.indexOf(CHUNKED_END, headerEnd);
    if (last < 0) return -1;
    end = last + CHUNKED_END.length;
  } else {
    end = headerEnd + 4;
  }
  const status = head.slice(9, 12);
  statuses[status] = (statuses[status] ?? 0) + 1;
  return end;
}

let next = 0;
function connection() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port, noDelay: true });
    let buf = Buffer.alloc(0);
    const send = () => {
      if (next >= requests.length) {
        socket.end();
        return resolve();
      }
      socket.write(requests[next++]);
    };
    socket.on('connect', send);
    socket.on('data', chunk => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let end;
      while ((end = takeResponse(buf)) >= 0) {
        buf = buf.subarray(end);
        send();
      }
    });
    socket.on('error', reject);
    socket.on('close', () =>
      next < requests.length
        ? reject(new Error('the backend closed a connection early'))
        : resolve(),
    );
  });
}

(async () => {
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, connection));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, statuses }));
})().catch(e => {
  console.error(e);
  process.exit(1);
});
