/**
 * The reference VT counts a bericht as accepted only with a transport receipt that verifies (spec/v1/receiver.md
 * §9, implementation-questions Q156, Q167), and builds an update against the last bericht of its dossier the
 * gateway accepted (Q33, Q124, Q148): never against one still waiting, refused, or answered without a receipt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, type DemoNetwork } from '../../src/demo/network.js';
import { startReferenceVt, type ReferenceVt } from '../../src/demo/reference-vt.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';

let dir: string;
let network: DemoNetwork;
let gateway: RunningGateway;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-ref-vt-'));
  network = await createDemoNetwork();
  gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: join(dir, 'gateway.db'), port: 0, allowPrivateEndpoints: true, timers: false, retention: false, console: false });
}, 60_000);

afterAll(async () => {
  while (closers.length > 0) await closers.pop()?.();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

async function vtAt(url: string, problems: string[] = []): Promise<ReferenceVt> {
  const vt = await startReferenceVt({ signer: network.signers.vtZuidLimburg, gatewayUrl: () => url, gatewayOin: DEMO_OIN.gateway, retryDelaysMs: [10], onProblem: (p) => problems.push(p) });
  closers.push(() => vt.close());
  return vt;
}

const trigger = async (vt: ReferenceVt, scenario: string) => (await fetch(vt.triggerUrl, { method: 'POST', body: JSON.stringify({ scenario }), headers: { 'content-type': 'application/json' } })).status;

describe('the reference VT', () => {
  it('refers each update to the last bericht of the dossier the gateway accepted: the handover, then the update before it (Q148)', async () => {
    const problems: string[] = [];
    const vt = await vtAt(gateway.url, problems);
    for (const scenario of ['overdracht', 'veiligheidsvoorwaarden', 'veiligheidsvoorwaarden']) expect(await trigger(vt, scenario)).toBe(202);
    await vt.idle();
    expect(problems).toEqual([]);
    const [handover, first, second] = vt.sent;
    expect(vt.sent.map((b) => b.berichtType)).toEqual(['overdracht', 'veiligheidsvoorwaarden', 'veiligheidsvoorwaarden']);
    expect(first?.inAntwoordOp).toBe(handover?.berichtId);
    expect(second?.inAntwoordOp).toBe(first?.berichtId);
    expect(new Set(vt.sent.map((b) => b.dossier.volgnummer)).size).toBe(3);
  });

  it('does not count a 202 without a transport receipt that verifies, and sends no update that would refer to it (Q156)', async () => {
    const bodies: string[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => { server.close(() => { resolve(); }); }));
    const problems: string[] = [];
    const vt = await vtAt(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, problems);
    expect(await trigger(vt, 'overdracht')).toBe(202);
    expect(await trigger(vt, 'veiligheidsvoorwaarden')).toBe(202);
    await vt.idle();
    expect(bodies).toHaveLength(1);
    expect(vt.sent).toEqual([]);
    expect(problems).toEqual(['bericht answered without a transport receipt that verifies', 'no accepted bericht in the dossier to update']);
  });
});
