/**
 * The PII canary: berichten with the examples' known names, BSNs, addresses and birth dates go through every
 * path of the gateway (accept, refuse, deliver by push, a receiver that refuses and the dead letter that
 * follows, a receipt, an operator's retry) and nothing personal may surface: no log line (pino's output is
 * captured), no metric, no API answer and no console page source contains any of those values
 * (Z-L 5.1.3, VNG §6a.3). The timer path (termijn.verlopen) lives on the lifecycle branch and is not merged
 * here; its berichten would be covered by the same surfaces once it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { createLog } from '../../src/observability/log.js';
import { personalValues, personalValuesIn } from '../helpers/examples.js';
import { consolePages } from './pages.js';
import { acceptatie, startConsoleNetwork, until, type ConsoleNetwork } from './network.js';

let dir: string;
let net: ConsoleNetwork;
const lines: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-canary-'));
  const log = createLog({ level: 'debug', destination: { write: (line: string) => { lines.push(line); } } });
  net = await startConsoleNetwork({ db: join(dir, 'zicht.db'), metrics: true, log });
});
afterAll(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PII canary', () => {
  it('no log line, metric, API answer or console page holds a name, BSN, address or birth date', async () => {
    const canaries = personalValues();
    expect(canaries.length).toBeGreaterThan(10);

    // Refused: a handover breaking a rule (a BSN failing the elfproef), its persons' names still in it.
    const broken = exampleBericht('overdracht-na-dienst-onderzoek') as Bericht & { inhoud: { directbetrokkenen: { bsn?: string }[] } };
    const first = broken.inhoud.directbetrokkenen[0];
    if (first) first.bsn = '999990045';
    const refused = await net.send('vtZuidLimburg', broken);
    expect(refused.status).toBe(422);
    answers.push(refused.text);

    // Accepted and delivered to Heerlen (push); Kerkrade's system refuses: a dead letter.
    net.kerkrade.status = 400;
    const handover = exampleBericht('overdracht-na-dienst-onderzoek');
    const accepted = await net.send('vtZuidLimburg', handover);
    expect(accepted.status).toBe(202);
    answers.push(accepted.text);
    await until(async () => (await net.gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status !== 'queued'));
    expect((await net.gateway.store.listDeliveries(handover.berichtId)).map((d) => d.status).sort()).toEqual(['delivered', 'failed']);

    // Heerlen accepts; the receipt is routed back to VT.
    const receipt = acceptatie(handover);
    const sent = await net.send('heerlen', receipt);
    expect(sent.status).toBe(202);
    await until(async () => (await net.gateway.store.listDeliveries(receipt.berichtId)).every((d) => d.status === 'delivered'));

    // The status and ledger answers.
    for (const path of [`/v1/berichten/${handover.berichtId}`, `/v1/dossiers/${handover.dossier.referentie}/tijdlijn`]) {
      const response = await request(`${net.gateway.url}${path}`, { headers: { authorization: `Bearer ${await net.token(net.auditor)}` } });
      answers.push(await response.body.text());
    }

    // The console's pages as each role sees them, and the operator's retry of the dead letter.
    net.kerkrade.status = 202;
    const pages = await consolePages(net, handover);
    await until(async () => (await net.gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status === 'delivered' || d.status === 'acknowledged'));
    expect((await net.gateway.store.listEventsOfBericht(handover.berichtId)).map((e) => e.type)).toContain('delivery.requeued');

    await until(async () => ((await net.gateway.store.latestCheckpoint())?.size ?? 0) > 0);
    const metrics = await (await request(`${net.gateway.metricsUrl ?? ''}/metrics`)).body.text();

    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes('"delivery"'))).toBe(true);
    const surfaces: [string, string][] = [
      ...lines.map((l, i): [string, string] => [`log line ${i}`, l]),
      ['metrics', metrics],
      ...answers.map((a, i): [string, string] => [`API answer ${i}`, a]),
      ...pages.map((p): [string, string] => [`console ${p.name}`, p.html]),
    ];
    for (const [where, text] of surfaces) expect(personalValuesIn(text, canaries).length, `${where} contains a personal value`).toBe(0);
  });
});
