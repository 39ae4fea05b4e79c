// src/index.js as the container runs it: starts on PORT, stops with exit code 0 on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/index.js', import.meta.url));

it('starts on PORT, answers /health, and exits 0 on SIGTERM', async () => {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = [];
    const listening = new Promise((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', text => {
        const line = JSON.parse(text);
        lines.push(line);
        if (line.message === 'listening') resolve(line.port);
      });
      child.once('exit', code =>
        reject(new Error(`exited with ${code} before listening`)),
      );
    });
    const port = await listening;
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(res.status, 200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
    assert.deepEqual(
      lines.map(line => line.message),
      ['listening', 'stopping', 'stopped'],
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
