// Test support: the app listening on a free loopback port, as the tests reach it over real HTTP.
import type { FastifyInstance } from 'fastify';

/** Starts `app` on 127.0.0.1 at a port the system picks; its base URL (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
