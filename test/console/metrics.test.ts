/**
 * GET /metrics (Prometheus text, src/observability/metrics.ts) on its own listener: berichten accepted and
 * refused by type and rule id, delivery attempts with their latency, outbox depth, dead letters, terms, the
 * audit log's size and checkpoint age. Labels carry codes and organisation OINs only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { startConsoleNetwork, until, type ConsoleNetwork } from './network.js';

let dir: string;
let net: ConsoleNetwork;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-metrics-'));
  net = await startConsoleNetwork({ db: join(dir, 'zicht.db'), metrics: true });
});
afterAll(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = async (): Promise<string> => {
  const response = await request(`${net.gateway.metricsUrl ?? ''}/metrics`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain/);
  return response.body.text();
};
const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('is served on its own listener, not on the API port', async () => {
    expect(net.gateway.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(net.gateway.metricsUrl).not.toBe(net.gateway.url);
    expect((await request(`${net.gateway.url}/metrics`)).statusCode).toBe(404);
  });

  it('counts accepted and refused berichten, attempts, dead letters, outbox, terms and the audit log', async () => {
    net.kerkrade.status = 400; // Kerkrade's system refuses: a dead letter at once
    const handover = exampleBericht('overdracht-na-dienst-onderzoek');
    expect((await net.send('vtZuidLimburg', handover)).status).toBe(202);
    // A refusal with a rule id: the sequence number must rise (or a receipt for an unknown bericht).
    const wrong = { ...exampleBericht('ontvangstbevestiging-geaccepteerd'), inAntwoordOp: '6f1d3c2a-0000-4000-8000-000000000000' } as Bericht;
    const refused = await net.send('heerlen', wrong);
    expect(refused.status).toBe(422);
    const rules = (JSON.parse(refused.text) as { issues: { rule: string }[] }).issues.map((i) => i.rule);

    await until(async () => (await net.gateway.store.listDeliveries(handover.berichtId)).every((d) => d.status !== 'queued'));
    await until(async () => value(await scrape(), 'zicht_audit_checkpoint_size') !== 0);
    const text = await scrape();

    expect(value(text, 'zicht_berichten_accepted_total{bericht_type="overdracht"}')).toBe(1);
    expect(value(text, 'zicht_berichten_refused_total{bericht_type="ontvangstbevestiging",reason="rules"}')).toBe(1);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(value(text, `zicht_berichten_refused_rules_total{bericht_type="ontvangstbevestiging",rule="${rule}"}`)).toBe(1);
    expect(value(text, 'zicht_delivery_attempts_total{outcome="delivered"}')).toBe(1);
    expect(value(text, 'zicht_delivery_attempts_total{outcome="dead-letter"}')).toBe(1);
    expect(value(text, 'zicht_delivery_duration_seconds_count{outcome="delivered"}')).toBe(1);
    expect(value(text, 'zicht_delivery_dead_letters_total')).toBe(1);
    expect(value(text, 'zicht_deliveries{status="failed"}')).toBe(1);
    expect(value(text, 'zicht_deliveries{status="delivered"}')).toBe(1);
    expect(text).toContain('# TYPE zicht_outbox_depth gauge');
    expect(value(text, 'zicht_termijnen{soort="ontvangstbevestiging",status="open"}')).toBe(2);
    expect(value(text, 'zicht_audit_log_size')).toBeGreaterThan(0);
    expect(value(text, 'zicht_audit_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain(handover.dossier.referentie);
    expect(text).not.toContain(handover.berichtId);
  });
});
