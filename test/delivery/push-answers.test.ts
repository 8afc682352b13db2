/**
 * What the gateway makes of each answer of a receiver (AFL-008, spec/v1/receiver.md "What the gateway does
 * with the answer"), over real HTTP: delivered, tried again (with the receiver's Retry-After), or a dead letter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBericht } from '../../adapters/webhook/push.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../src/http/retry-after.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const answer = async (status: number, retryAfter?: string) => {
  receiver.status = status;
  if (retryAfter === undefined) delete receiver.retryAfter;
  else receiver.retryAfter = retryAfter;
  return pushBericht({ url: receiver.url, body: '{}', token: 't' });
};

describe('the answer of a receiver to a push (AFL-008)', () => {
  it.each([200, 202, 204])('%i: delivered', async (status) => {
    expect(await answer(status)).toEqual({ kind: 'delivered' });
  });

  it.each([401, 408, 425, 429, 500, 502, 503, 504])('%i: tried again', async (status) => {
    expect(await answer(status)).toEqual({ kind: 'retry', code: `HTTP_${status}` });
  });

  it.each([301, 307, 400, 403, 404, 405, 409, 410, 413, 415, 422])('%i: a dead letter', async (status) => {
    expect(await answer(status)).toEqual({ kind: 'refused', code: `HTTP_${status}` });
  });

  it('carries the Retry-After of a 429 or 503 to the retry', async () => {
    expect(await answer(503, '120')).toEqual({ kind: 'retry', code: 'HTTP_503', retryAfterMs: 120_000 });
    expect(await answer(429, '0')).toEqual({ kind: 'retry', code: 'HTTP_429', retryAfterMs: 0 });
  });

  it('a receiver that does not answer at all is tried again', async () => {
    await expect(pushBericht({ url: 'http://127.0.0.1:9/v1', body: '{}', token: 't' })).resolves.toMatchObject({ kind: 'retry' });
  });
});

describe('retryAfterMs (RFC 9110 §10.2.3)', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  it('reads delay-seconds and an HTTP-date, capped at one hour', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(MAX_RETRY_AFTER_MS);
  });
  it('ignores what it cannot read', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs('soon-ish', now)).toBeUndefined();
  });
});
