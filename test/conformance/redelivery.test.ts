/**
 * The suite delivers a push again after a 503 or 429, as the gateway does (receiver.md §7, AFL-008), so that a receiver
 * that holds back a key-set fetch for a second (receiver.md §4, Q171) is judged on the attempt it can decide (reading
 * round 34, (c)1). Against a real HTTP server on localhost that answers a scripted list of statuses.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { postBericht, HOLD_BACK_MS, redeliverWhileNotNow } from '../../conformance/http.js';

interface Scripted {
  readonly url: string;
  /** When each attempt arrived (ms since the epoch). */
  readonly attempts: number[];
  close(): Promise<void>;
}

/** Answers the n-th POST with `statuses[n]` (the last one from then on). */
async function scripted(statuses: readonly number[]): Promise<Scripted> {
  const attempts: number[] = [];
  const app = new Hono();
  app.post('/berichten', (c) => {
    attempts.push(Date.now());
    const status = statuses[Math.min(attempts.length - 1, statuses.length - 1)] ?? 500;
    return c.body(null, status as 202, status === 503 ? { 'retry-after': '30' } : {});
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/berichten`,
    attempts,
    close: () => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }),
  };
}

let server: Scripted | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string) => () => postBericht(url, '{}', undefined, '00000001000000009170', 5_000, 'application/json', null);

describe('redeliverWhileNotNow', () => {
  it('delivers again after a 503 and a 429, a second apart, and returns the answer that decided', async () => {
    server = await scripted([503, 429, 422]);
    const response = await redeliverWhileNotNow(post(server.url), 10_000);
    expect(response.status).toBe(422);
    expect(server.attempts).toHaveLength(3);
    // Each attempt waited out the second a receiver may hold back a fetch (its Retry-After of 30 is the gateway's to honour).
    for (let i = 1; i < server.attempts.length; i++) expect((server.attempts[i] ?? 0) - (server.attempts[i - 1] ?? 0)).toBeGreaterThanOrEqual(HOLD_BACK_MS - 50);
  });

  it('stops at the time-out and returns the last 503', async () => {
    server = await scripted([503]);
    const response = await redeliverWhileNotNow(post(server.url), 2_500);
    expect(response.status).toBe(503);
    // Attempts at about 0, 1,100 and 2,200 ms; a fourth would begin past the 2,500 ms (a slow machine may leave out the third).
    expect(server.attempts.length).toBeGreaterThanOrEqual(2);
    expect(server.attempts.length).toBeLessThanOrEqual(3);
    expect((server.attempts.at(-1) ?? 0) - (server.attempts[0] ?? 0)).toBeLessThan(2_500);
  });

  it('does not deliver again after a refusal, a success or a 500', async () => {
    for (const status of [401, 422, 202, 500]) {
      server = await scripted([status, 202]);
      const response = await redeliverWhileNotNow(post(server.url), 10_000);
      expect([status, response.status, server.attempts.length]).toEqual([status, status, 1]);
      await server.close();
      server = undefined;
    }
  });
});
