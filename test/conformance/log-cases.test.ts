/**
 * The audit log cases of role gateway (conformance/roles/gateway-log.ts) can fail: a gateway without a witness
 * fails CNF-438 (no cosigned checkpoint); a gateway whose receipts name another leaf than the one it logs (a
 * proxy that changes bladhash) fails CNF-436 and CNF-437. The reference gateway with a witness passes all three
 * (test/conformance/reference.test.ts).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../conformance/runner.js';
import { onFreePort, referenceGateway } from './helpers.js';

const LOG_CASES = new Set(['CNF-436', 'CNF-437', 'CNF-438']);

/** A proxy in front of the gateway that gives every receipt's promise another leaf hash. */
async function lyingProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Hono();
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    const body = c.req.method === 'GET' ? undefined : await c.req.arrayBuffer();
    const response = await fetch(`${target}${url.pathname}${url.search}`, { method: c.req.method, headers: c.req.raw.headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    if (c.req.method === 'POST' && url.pathname === '/v1/berichten' && response.status === 202) {
      const receipt = JSON.parse(text) as { logbelofte?: { bladhash: string } };
      if (receipt.logbelofte) receipt.logbelofte.bladhash = Buffer.alloc(32, 7).toString('base64');
      return c.json(receipt, 202);
    }
    return c.body(text, response.status as 200, { 'content-type': response.headers.get('content-type') ?? 'text/plain' });
  });
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      const address = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((done) => { server.close(() => { done(); }); }) });
    });
  });
}

describe('the audit log cases of role gateway', () => {
  it('fail CNF-438 for a gateway without a witness, and pass CNF-436 and CNF-437 there', async () => {
    await onFreePort(async (port) => {
      const ref = await referenceGateway(port, [], { witness: false });
      try {
        const report = await runConformance({ role: 'gateway', target: ref.gateway.url, network: ref.network, listen: { port }, gatewayOin: ref.signer.oin, settleMs: 0, only: LOG_CASES, timeoutMs: 2_000 });
        expect(report.results.map((r) => [r.id, r.outcome])).toEqual([['CNF-436', 'pass'], ['CNF-437', 'pass'], ['CNF-438', 'fail']]);
        expect(report.results[2]?.reason).toContain('no cosignature/v1 line');
      } finally {
        await ref.close();
      }
    });
  });

  it('fail CNF-436 and CNF-437 for receipts that promise another leaf than the one logged', async () => {
    await onFreePort(async (port) => {
      const ref = await referenceGateway(port);
      const proxy = await lyingProxy(ref.gateway.url);
      try {
        const report = await runConformance({ role: 'gateway', target: proxy.url, network: ref.network, listen: { port }, gatewayOin: ref.signer.oin, settleMs: 0, only: new Set(['CNF-436', 'CNF-437']), timeoutMs: 2_000 });
        expect(report.results.map((r) => [r.id, r.outcome])).toEqual([['CNF-436', 'fail'], ['CNF-437', 'fail']]);
        expect(report.results[0]?.reason).toContain('another leaf hash');
      } finally {
        await proxy.close();
        await ref.close();
      }
    });
  });
});
