/** A receiving system as a real HTTP server on localhost: records what it gets, answers what the test says. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Bericht } from '../../src/model/bericht.js';

export interface TestReceiver {
  readonly url: string;
  /** Every bericht received, in order (at-least-once: duplicates possible). */
  readonly received: Bericht[];
  /** The traceparent header of each received push, in the same order. */
  readonly traceparents: (string | undefined)[];
  /** The status it answers with (default 202). */
  status: number;
  /** A Retry-After header it sends with a status of 300 or more, when set. */
  retryAfter?: string;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const received: Bericht[] = [];
  const traceparents: (string | undefined)[] = [];
  const receiver: { received: Bericht[]; traceparents: (string | undefined)[]; status: number; retryAfter?: string } = { received, traceparents, status: 202 };
  const app = new Hono();
  app.post('/v1/berichten', async (c) => {
    if (receiver.status >= 300) return c.body(null, receiver.status as 500, receiver.retryAfter === undefined ? {} : { 'retry-after': receiver.retryAfter });
    received.push(await c.req.json<Bericht>());
    traceparents.push(c.req.header('traceparent'));
    return c.body(null, receiver.status as 202);
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
      }),
  });
}
