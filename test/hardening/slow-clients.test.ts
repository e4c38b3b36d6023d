// Slow-loris (issue 8, "Abuse"): a client that trickles its request headers a byte at a time must
// lose its connection at the headers deadline, with 408, while everybody else is served.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from '@hro/portal';

let db: TestDatabase;
let app: Awaited<ReturnType<typeof createApp>>;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ pool: db.pool, log: db.log, introspection: false, headersTimeoutMs: 1_000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

/** Opens a request and sends one more header byte every `everyMs`; resolves with what the server said and when it closed. */
function trickle(everyMs: number, giveUpMs: number): Promise<{ answer: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const drip = setInterval(() => socket.write('x'), everyMs);
    const finish = (closed: boolean) => {
      clearInterval(drip);
      clearTimeout(limit);
      socket.destroy();
      resolve({ answer, closedAfterMs: closed ? performance.now() - started : null });
    };
    const limit = setTimeout(() => finish(false), giveUpMs);
    socket.on('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: '));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => finish(true));
    socket.on('error', () => {});
  });
}

describe('a client that sends its headers slowly', () => {
  it('is cut off at the headers deadline with 408, and the server keeps serving others meanwhile', async () => {
    const slow = trickle(100, 8_000);
    const meanwhile = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(meanwhile.status).toBe(200);
    const { answer, closedAfterMs } = await slow;
    expect(closedAfterMs, 'the connection stayed open').not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // the deadline is 1 s, checked every second: cut within about two
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4_000);
  });

  it('is served when the headers arrive in time (so the case above can fail)', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
