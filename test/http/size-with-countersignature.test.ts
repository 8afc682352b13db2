/**
 * BER-002 holds for the bericht as the gateway stores and pushes it: the sender's bericht, serialised without
 * insignificant whitespace, with the gateway's countersignature appended (receiver.md §2). A receiver refuses a
 * larger push with 413, so a bericht that fits only without the countersignature must be refused at accept
 * (413, BER-002, nothing stored), not taken and then dead-lettered at every receiver.
 */
import { describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import type { Bericht } from '../../src/model/bericht.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { BACKENDS, useStore } from '../store/backends.js';

const network = await createDemoNetwork();

/** A valid handover with safety conditions whose texts make its signed, compact form `bytes` long. */
async function handoverOf(bytes: number, referentie: string): Promise<string> {
  // The demo VT's handover after an investigation, with the conditions of the spec's example of a handover after
  // voorwaarden en vervolg (another region's), so that the demo network signs and routes it.
  interface Voorwaarde { readonly id: string; readonly omschrijving: string; readonly consequentie: string }
  const conditions = (exampleBericht('overdracht-na-dienst-voorwaarden-en-vervolg').inhoud as unknown as { veiligheidsvoorwaarden: { voorwaarden: Voorwaarde[] } }).veiligheidsvoorwaarden;
  const onderzoek = exampleBericht('overdracht-na-dienst-onderzoek');
  const voorwaarde = conditions.voorwaarden[0]!;
  const sized = async (fill: number) => {
    // 100 texts of at most 20,000 characters (Tekst): the omschrijving and consequentie of 50 conditions.
    const text = (slot: number) => 'x'.repeat(Math.min(20_000, Math.max(1, fill - slot * 20_000)));
    const voorwaarden = Array.from({ length: 50 }, (_, i) => ({ ...voorwaarde, id: `v${String(i + 1)}`, omschrijving: text(2 * i), consequentie: text(2 * i + 1) }));
    const bericht = { ...onderzoek, dossier: { referentie, volgnummer: 1 }, inhoud: { ...onderzoek.inhoud, veiligheidsvoorwaarden: { ...conditions, voorwaarden } } } as unknown as Bericht;
    return JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht));
  };
  // The signature's length varies by a few bytes; fill so that the signed text is exactly `bytes` long.
  const size = (text: string) => Buffer.byteLength(text, 'utf8');
  let fill = bytes - size(await sized(0));
  for (let tries = 0; tries < 5; tries++) {
    const text = await sized(fill);
    if (size(text) === bytes) return text;
    fill += bytes - size(text);
  }
  throw new Error(`could not size a handover to ${String(bytes)} bytes`);
}

describe.each(BACKENDS)('POST /v1/berichten: BER-002 with the countersignature ($name)', ({ harness }) => {
  const ctx = useStore(harness);
  const post = async (body: string) => {
    const app = createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 1000, burst: 1000 }) });
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    return app.request('/v1/berichten', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  };

  it('refuses a bericht within the limit whose countersigned form is not (413, BER-002, nothing stored)', async () => {
    const body = await handoverOf(MAX_BERICHT_BYTES - 16, 'VTZL-2026-SIZE01');
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MAX_BERICHT_BYTES);
    const response = await post(body);
    expect(response.status).toBe(413);
    const problem = (await response.json()) as { issues: { rule: string }[] };
    expect(problem.issues.map((i) => i.rule)).toEqual(['BER-002']);
    expect(await ctx.store.getBericht((JSON.parse(body) as Bericht).berichtId)).toBeUndefined();
  });

  it('accepts one whose countersigned form fits, and stores that form within the limit', async () => {
    const body = await handoverOf(MAX_BERICHT_BYTES - 4096, 'VTZL-2026-SIZE02');
    const response = await post(body);
    expect(response.status, await response.clone().text()).toBe(202);
    const stored = await ctx.store.getBericht((JSON.parse(body) as Bericht).berichtId);
    expect(stored).toBeDefined();
    expect(Buffer.byteLength(stored!.body, 'utf8')).toBeGreaterThan(Buffer.byteLength(body, 'utf8'));
    expect(Buffer.byteLength(stored!.body, 'utf8')).toBeLessThanOrEqual(MAX_BERICHT_BYTES);
  });
});
