/**
 * An early 413 (BER-002, refused from Content-Length before the body is read) answers `Connection: close`, so that a
 * keep-alive client opens a new connection for its next request. Before, the gateway answered keep-alive and then
 * cut the socket once the unread body had not drained in time, and the client's next request on that connection
 * failed. The client here is undici with a keep-alive pool of one connection, the way a vendor's Node client runs.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN } from '../../src/demo/network.js';
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { Keyring } from '../../src/store/keyring.js';

let gateway: RunningGateway;
let agent: Agent;
const network = await createDemoNetwork();
const token = () => createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);

beforeAll(async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'zicht-413-')), 'zicht.db');
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db, port: 0, deliver: false, console: false, retention: false, timers: false, keyring: Keyring.generate('k') });
  agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 30_000 });
});
afterAll(async () => {
  await agent.close();
  await gateway.close();
});

/** A body of twice the limit sent in 32 KiB parts as the network takes them, each a little later: a slow upload. */
function slowOversizedBody(): Readable {
  let left = MAX_BERICHT_BYTES * 2;
  return new Readable({
    read() {
      const size = Math.min(32 * 1024, left);
      left -= size;
      setTimeout(() => this.push(size === 0 ? null : Buffer.alloc(size, 0x20)), 10);
    },
  });
}

describe('an early 413 on a keep-alive connection', () => {
  it('answers Connection: close with the BER-002 problem, and the client\'s next requests on the same agent succeed', { timeout: 30_000 }, async () => {
    const body = slowOversizedBody();
    const refused = await request(`${gateway.url}/v1/berichten`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BERICHT_BYTES * 2), authorization: `Bearer ${await token()}` },
      body,
    });
    expect(refused.statusCode).toBe(413);
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['content-type']).toBe('application/problem+json');
    const problem = (await refused.body.json()) as { issues: { rule: string }[] };
    expect(problem.issues.map((i) => i.rule)).toEqual(['BER-002']);

    // The next requests go through the same one-connection agent: each must get its answer.
    for (let i = 0; i < 3; i++) {
      const next = await request(`${gateway.url}/v1/berichten/${randomUUID()}`, { dispatcher: agent, headers: { authorization: `Bearer ${await token()}` } });
      expect(next.statusCode).toBe(404);
      await next.body.dump();
    }
  });
});
