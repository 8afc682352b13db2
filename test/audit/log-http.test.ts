/**
 * The audit log's routes in-process (app.request()) on SQLite and PostgreSQL: the published key and
 * checkpoint, proofs that verify against it, entries per participant (its own OIN) and for the auditor
 * (all), problem+json refusals, and no personal data in any leaf or response.
 */
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/audit/checkpoint.js';
import { leafHash } from '../../src/audit/hash.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import { parseVerifierKey } from '../../src/audit/note-key.js';
import { publishLog } from '../../src/audit/sequencer.js';
import { verifyConsistency, verifyInclusion } from '../../src/audit/verify.js';
import { DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import type { Signer } from '../../src/signing/signer.js';
import type { Store } from '../../src/store/store.js';
import { personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore } from '../store/backends.js';
import { createAuditNetwork } from './network.js';

const network = await createAuditNetwork();
const logKey = deriveLogSigner(network.gateway);
let dossiers = 0;
const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

function app(store: Store) {
  return createApp({
    store,
    registry: network.registry,
    keys: registryKeyResolver(network.registry),
    gateway: network.gateway,
    replay: memoryReplayGuard(),
    rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }),
  });
}

async function get(a: ReturnType<typeof app>, path: string, signer?: Signer): Promise<Response> {
  const headers: Record<string, string> = signer === undefined ? {} : { authorization: `Bearer ${await createBearerToken(signer, DEMO_OIN.gateway)}` };
  return a.request(path, { headers });
}

type Entries = { checkpoint: string; size: number; entries: { index: number; leaf: string; proof: string[] }[] };

describe.each(BACKENDS)('/v1/log on $name', ({ harness }) => {
  const ctx = useStore(harness);

  /** A handover from VT to Heerlen and Kerkrade, delivered to Heerlen only; then the log is published. */
  async function scenario(a: ReturnType<typeof app>): Promise<string> {
    const template = exampleBericht('overdracht-na-dienst-onderzoek');
    dossiers += 1;
    const bericht = await signAs(network, 'vtZuidLimburg', { ...template, dossier: { ...template.dossier, referentie: `VTZL-2026-9${String(dossiers).padStart(5, '0')}` } });
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const accepted = await a.request('/v1/berichten', { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(accepted.status).toBe(202);
    await ctx.store.markDelivered({ berichtId: bericht.berichtId, receiverOin: DEMO_OIN.heerlen }, new Date());
    await ctx.store.appendEvent({ type: 'delivery.delivered', berichtId: bericht.berichtId, oin: DEMO_OIN.heerlen, at: new Date(), data: { attempts: 1 } });
    await publishLog(ctx.store, logKey);
    return bericht.berichtId;
  }

  it('publishes the log key and a checkpoint signed with it', async () => {
    const a = app(ctx.store);
    expect((await get(a, '/v1/log/checkpoint')).status).toBe(404);
    await scenario(a);
    const key = (await (await get(a, '/v1/log/key')).json()) as { origin: string; verifierKey: string };
    expect(key).toEqual({ origin: `zicht.gateway/${DEMO_OIN.gateway}`, verifierKey: logKey.vkey });
    const response = await get(a, '/v1/log/checkpoint');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const checkpoint = openCheckpoint(await response.text(), [parseVerifierKey(key.verifierKey)], key.origin);
    expect(checkpoint.size).toBe(2n);
  });

  it('shows a participant the entries of its own OIN and the auditor all, each with an inclusion proof', async () => {
    const a = app(ctx.store);
    const berichtId = await scenario(a);
    const page = async (signer: Signer) => (await (await get(a, '/v1/log/entries?start=0&end=100', signer)).json()) as Entries;
    const visible = async (signer: Signer) => (await page(signer)).entries.map((e) => (JSON.parse(e.leaf) as { type: string }).type);
    expect(await visible(network.signers.vtZuidLimburg)).toEqual(['bericht.accepted', 'delivery.delivered']);
    expect(await visible(network.signers.heerlen)).toEqual(['bericht.accepted', 'delivery.delivered']);
    expect(await visible(network.signers.kerkrade)).toEqual(['bericht.accepted']);
    const all = await page(network.auditor);
    expect(all.entries.map((e) => e.index)).toEqual([0, 1]);
    const checkpoint = openCheckpoint(all.checkpoint, [logKey]);
    for (const entry of all.entries) {
      expect(JSON.parse(entry.leaf)).toMatchObject({ berichtId });
      verifyInclusion(BigInt(entry.index), checkpoint.size, leafHash(Buffer.from(entry.leaf, 'utf8')), entry.proof.map(b64), checkpoint.root);
    }
    const text = JSON.stringify(all);
    expect(personalValuesIn(text)).toEqual([]);
  });

  it('serves inclusion and consistency proofs that verify', async () => {
    const a = app(ctx.store);
    await scenario(a);
    await scenario(a);
    const all = (await (await get(a, '/v1/log/entries?start=0&end=4', network.auditor)).json()) as Entries;
    const checkpoint = openCheckpoint(all.checkpoint, [logKey]);
    expect(checkpoint.size).toBe(4n);
    const inclusion = (await (await get(a, '/v1/log/proof/inclusion?index=1&size=4', network.signers.heerlen)).json()) as { proof: string[] };
    verifyInclusion(1n, 4n, leafHash(Buffer.from(all.entries[1]!.leaf, 'utf8')), inclusion.proof.map(b64), checkpoint.root);
    const consistency = (await (await get(a, '/v1/log/proof/consistency?from=2&to=4')).json()) as { proof: string[] };
    const first = (await (await get(a, '/v1/log/entries?start=0&end=2', network.auditor)).json()) as Entries;
    const { nodeHash } = await import('../../src/audit/hash.js');
    const root2 = nodeHash(leafHash(Buffer.from(first.entries[0]!.leaf)), leafHash(Buffer.from(first.entries[1]!.leaf)));
    verifyConsistency(2n, 4n, root2, checkpoint.root, consistency.proof.map(b64));
  });

  it.each([
    ['/v1/log/proof/inclusion?index=4&size=4', 400],
    ['/v1/log/proof/inclusion?index=0&size=99', 400],
    ['/v1/log/proof/inclusion?index=-1&size=2', 400],
    ['/v1/log/proof/consistency?from=0&to=2', 400],
    ['/v1/log/proof/consistency?from=3&to=2', 400],
    ['/v1/log/proof/consistency?from=1', 400],
    ['/v1/log/entries?start=0&end=5000', 400],
  ])('refuses %s with %i as problem+json', async (path, status) => {
    const a = app(ctx.store);
    await scenario(a);
    const response = await get(a, path, network.auditor);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    // Each issue cites BER-030 and names a query parameter of the request (never a value).
    const body = (await response.json()) as { status: number; issues: { rule: string; path: string }[] };
    expect(body.status).toBe(status);
    expect(body.issues.length).toBeGreaterThan(0);
    for (const issue of body.issues) {
      expect(issue.rule).toBe('BER-030');
      expect(issue.path).toMatch(/^\$\.query\.(index|size|from|to|start|end)$/);
    }
  });

  it('asks for authentication for entries and inclusion proofs', async () => {
    const a = app(ctx.store);
    expect((await get(a, '/v1/log/entries?start=0&end=1')).status).toBe(401);
    expect((await get(a, '/v1/log/proof/inclusion?index=0&size=1')).status).toBe(401);
  });
});
