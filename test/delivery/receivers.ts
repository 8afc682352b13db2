/**
 * Receivers for the delivery worker's slot tests, as real HTTP servers on localhost (node:http, so the tests
 * see the TCP connections): one that answers 202 and counts the connections it was pushed over, and one that
 * takes every connection and request and never answers (a receiving system that hangs).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingReceiver {
  readonly url: string;
  /** The berichtId of every push, in the order they arrived. */
  readonly received: string[];
  /** TCP connections opened to it so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface HangingReceiver {
  readonly url: string;
  /** Requests that arrived and are still waiting for an answer (they all are: it never answers). */
  open(): number;
  /** Drops every connection (the pushes in flight fail) and stops listening. */
  close(): Promise<void>;
}

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
};

const shut = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => { resolve(); });
  });

const bodyOf = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startCountingReceiver(): Promise<CountingReceiver> {
  const received: string[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      received.push((JSON.parse(body) as { berichtId: string }).berichtId);
      response.writeHead(202).end();
    });
  });
  server.on('connection', () => { connections += 1; });
  const url = await listen(server);
  return { url, received, connections: () => connections, close: () => shut(server) };
}

export async function startHangingReceiver(): Promise<HangingReceiver> {
  let open = 0;
  const server = createServer((request) => {
    // Reads the push and never answers.
    request.resume();
    open += 1;
    request.socket.once('close', () => { open -= 1; });
  });
  // Node's own request time-out would answer 408 after 5 minutes; this receiver must stay silent.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  const url = await listen(server);
  return { url, open: () => open, close: () => shut(server) };
}
