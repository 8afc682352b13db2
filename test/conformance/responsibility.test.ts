/**
 * CNF-431 (issue 17): the suite judges a gateway's answer to "who holds zicht op veiligheid" with the offline
 * evaluation of the countersigned trail. Zicht's gateway passes; a gateway that answers "the first team to
 * answer" (here: Zicht's gateway behind a proxy that rewrites that one answer) fails, with the instant.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../conformance/runner.js';
import { onFreePort, referenceGateway } from './helpers.js';

/** A proxy to `target` that makes a handover's first answering team the holder while VT holds zicht. */
async function firstToAnswer(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length'));
      const upstream = await fetch(`${target}${req.url ?? ''}`, { method: req.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
      let body = Buffer.from(await upstream.arrayBuffer());
      if ((req.url ?? '').includes('/verantwoordelijkheid') && upstream.status === 200) {
        const answer = JSON.parse(body.toString('utf8')) as { stand: string; verantwoordelijke?: { oin: string }; overdrachten: { houder: string; teams: { oin: string; status: string }[] }[] };
        const first = answer.overdrachten[0]?.teams.find((t) => t.status !== 'wacht');
        if (answer.stand === 'verantwoordelijk' && answer.verantwoordelijke && first && answer.verantwoordelijke.oin === answer.overdrachten[0]?.houder && first.oin !== answer.verantwoordelijke.oin) {
          answer.verantwoordelijke.oin = first.oin;
          body = Buffer.from(JSON.stringify(answer));
        }
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
      res.end(body);
    })().catch(() => {
      res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, close: () => new Promise((resolve) => server.close(() => { resolve(); })) };
}

describe('CNF-431: responsibility judged by the offline evaluation', () => {
  it("Zicht's gateway passes; a gateway that answers 'the first to answer' fails at the instant it differs", async () => {
    for (const defective of [false, true]) {
      await onFreePort(async (port) => {
        const ref = await referenceGateway(port);
        const proxy = defective ? await firstToAnswer(ref.gateway.url) : undefined;
        try {
          const report = await runConformance({ role: 'gateway', target: proxy?.url ?? ref.gateway.url, network: ref.network, listen: { port }, gatewayOin: ref.signer.oin, settleMs: 200 });
          const result = report.results.find((r) => r.id === 'CNF-431');
          if (defective) {
            expect(result?.outcome).toBe('fail');
            expect(result?.reason).toMatch(/^at \S+ the gateway says verantwoordelijk \d{20}; the countersigned trail says verantwoordelijk \d{20}/);
          } else {
            expect(result?.outcome, result?.reason).toBe('pass');
            expect(result?.reason).toMatch(/equals the evaluation of the countersigned trail at \d+ instants/);
          }
        } finally {
          await proxy?.close();
          await ref.close();
        }
      });
    }
  });
});
