/**
 * Every case catches a defect: for each case, a reference system with exactly that one defect, run
 * against that case, makes it fail. (The reference without defects passes every case:
 * reference.test.ts.) Gemeente defects are switches of the reference receiver; gateway defects are
 * Zicht's gateway behind a proxy that breaks one behaviour, or with one receiver's push address dead.
 * VT defects are switches of the reference VT system (its sending side, or its receiving endpoint).
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../conformance/runner.js';
import { gatewayCases } from '../../conformance/roles/gateway.js';
import { gemeenteCases } from '../../conformance/roles/gemeente.js';
import { vtCases } from '../../conformance/roles/vt.js';
import { ruleCaseId } from '../../conformance/ids.js';
import { urlTrigger } from '../../conformance/trigger.js';
import type { ReferenceDefect } from '../../src/demo/reference-receiver.js';
import type { ReferenceVtDefect } from '../../src/demo/reference-vt.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import type { Signer } from '../../src/signing/signer.js';
import { GEMEENTE_VARIANTS, VT_VARIANTS, type Variant } from './catalogue.js';
import { HEERLEN, onFreePort, referenceGateway, referenceGemeente, referenceVt, VT_ZUID_LIMBURG } from './helpers.js';

const SIG_CASES: Readonly<Record<string, string>> = { 'CNF-111': 'SIG-001', 'CNF-112': 'SIG-001', 'CNF-113': 'SIG-002', 'CNF-114': 'SIG-003', 'CNF-115': 'SIG-004', 'CNF-116': 'SIG-004', 'CNF-117': 'SIG-005' };

/** The one defect each gemeente case must catch. */
function gemeenteDefect(id: string, rules: readonly string[]): ReferenceDefect {
  switch (id) {
    case 'CNF-101': return { kind: 'receipt-signature-broken' };
    case 'CNF-102': return { kind: 'no-receipt' };
    case 'CNF-103': return { kind: 'refuses-updates' };
    case 'CNF-104': return { kind: 'no-dedup' };
    case 'CNF-105': return { kind: 'ignores-rule', rule: 'BER-015' };
    case 'CNF-106': return { kind: 'answers-not-addressed' };
    case 'CNF-121': return { kind: 'no-decryption' };
    case 'CNF-107': return { kind: 'receipt-volgnummer-constant' };
    case 'CNF-108': return { kind: 'receipt-for-update' };
    case 'CNF-109': return { kind: 'gemeentecode-ignored' };
    case 'CNF-118': case 'CNF-119': case 'CNF-120': return { kind: 'key-window-ignored' };
    case 'CNF-123': return { kind: 'key-revocation-at-iat' };
    case 'CNF-124': return { kind: 'key-cache-by-kid' };
    case 'CNF-125': return { kind: 'ignores-rule', rule: 'AFL-002' };
    case 'CNF-126': return { kind: 'push-token-lax', skip: 'signature' };
    case 'CNF-127': return { kind: 'push-token-lax', skip: 'audience' };
    case 'CNF-128': return { kind: 'push-token-lax', skip: 'expiry' };
    case 'CNF-129': return { kind: 'push-token-lax', skip: 'replay' };
    case 'CNF-130': return { kind: 'push-token-lax', skip: 'issuer' };
    case 'CNF-131': return { kind: 'ignores-rule', rule: 'AFL-004' };
    case 'CNF-132': return { kind: 'key-directory-failure-cached' };
    case 'CNF-133': return { kind: 'push-token-lax', skip: 'lifetime' };
    case 'CNF-110': return { kind: 'receipt-from-cc' };
    case 'CNF-137': return { kind: 'any-media-type' };
    case 'CNF-138': return { kind: 'dedup-race' };
    case 'CNF-139': return { kind: 'schema-findings-as-ber-006' };
    case 'CNF-134': case 'CNF-135': return { kind: 'receipt-no-retry' };
    case 'CNF-325': return { kind: 'refuses-warnings' };
    case 'CNF-380': return { kind: 'trail-as-conflict' };
    case 'CNF-381': return { kind: 'signatures-before-held' };
    case 'CNF-382': return { kind: 'jwe-epk-unchecked' };
    case 'CNF-383': return { kind: 'refusal-without-reden' };
    case 'CNF-384': return { kind: 'acceptance-without-behandelaar' };
    case 'CNF-385': return { kind: 'acceptance-without-afstemming' };
    case 'CNF-386': return { kind: 'decides-twice' };
    case 'CNF-387': return { kind: 'decision-ontvangenop-now' };
    case 'CNF-388': return { kind: 'decision-not-queued' };
    case 'CNF-389': return { kind: 'jwe-header-members-unchecked' };
    case 'CNF-390': return { kind: 'postbus-pages-unfollowed', how: 'cursor-param' };
    case 'CNF-391': return { kind: 'receipt-ignores-retry-after' };
    default: return { kind: 'ignores-rule', rule: SIG_CASES[id] ?? rules[0] ?? '' };
  }
}

describe('role gemeente: each case catches the reference gemeente system with one defect', () => {
  it.each(gemeenteCases().map((c) => [c.id, c.title, c.rules] as const))('%s (%s)', async (id, _title, rules) => {
    const defect = gemeenteDefect(id, rules);
    // An epk with RSA-OAEP-256 is what a receiver that does not hold epk against alg takes (with ECDH-ES no JWE without epk decrypts).
    // CNF-390 tests a postbus reader (it is skipped for a system that takes pushes).
    const mode = id === 'CNF-390' ? 'postbus' : 'push';
    const ref = await referenceGemeente(defect, mode, id === 'CNF-382' ? { encryption: 'RSA-OAEP-256' } : {});
    try {
      const report = await runConformance({ role: 'gemeente', mode, target: mode === 'postbus' ? 'postbus:' : ref.receiver.url, sut: { ...HEERLEN, jwks: ref.jwks, versleutelingssleutels: ref.versleutelingssleutels }, trigger: ref.trigger, onListening: ref.setGateway, only: new Set([id, ...(id === 'CNF-103' || /^CNF-1[5-9]/.test(id) ? ['CNF-101', 'CNF-103'] : [])]), timeoutMs: 1500, settleMs: 300 });
      await ref.receiver.idle();
      const result = report.results.find((r) => r.id === id);
      expect(result?.outcome, `${JSON.stringify(defect)}: ${result?.reason ?? ''}`).toBe('fail');
    } finally {
      await ref.receiver.close();
    }
  });
});

type GatewayDefect = 'accepts-what-it-should-refuse' | 'receipt-not-countersigned' | 'new-receipt-on-resend' | 'promise-another-leaf' | 'checkpoint-not-cosigned' | { readonly deadPush: string };

/** Zicht's gateway behind a proxy with one defect. */
async function defectiveGateway(upstream: string, signer: Signer, defect: GatewayDefect): Promise<{ url: string; close: () => Promise<void> }> {
  const seen = new Set<string>();
  const app = new Hono();
  app.all('*', async (c) => {
    const body = c.req.method === 'GET' ? undefined : await c.req.text();
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type']) {
      const value = c.req.header(name);
      if (value !== undefined) headers[name] = value;
    }
    const response = await request(`${upstream}${new URL(c.req.url).pathname}`, { method: c.req.method as 'GET', headers, ...(body === undefined ? {} : { body }) });
    const text = await response.body.text();
    const resend = body !== undefined && seen.has(body);
    if (body !== undefined) seen.add(body);
    if (c.req.method === 'POST' && typeof defect === 'string') {
      const status = response.statusCode;
      if (defect === 'accepts-what-it-should-refuse' && status >= 400 && status < 500) {
        let bericht: Record<string, unknown> = {};
        try { bericht = JSON.parse(body ?? '') as Record<string, unknown>; } catch { /* not JSON: a receipt for nothing */ }
        const berichtId = typeof bericht.berichtId === 'string' ? bericht.berichtId : '00000000-0000-4000-8000-000000000000';
        return c.json({ berichtId, ontvangenOp: new Date().toISOString(), ontvangers: [], handtekening: { protected: 'e30', signature: 'AA' } }, 202);
      }
      if (status === 202 && defect === 'receipt-not-countersigned') {
        const receipt = JSON.parse(text) as Record<string, unknown>;
        return c.json({ ...receipt, handtekening: { protected: 'e30', signature: 'AA' } }, 202);
      }
      if (status === 202 && defect === 'promise-another-leaf') {
        const receipt = JSON.parse(text) as { logbelofte?: { bladhash: string } };
        if (receipt.logbelofte) receipt.logbelofte.bladhash = Buffer.alloc(32, 7).toString('base64');
        return c.json(receipt, 202);
      }
      if (status === 202 && defect === 'new-receipt-on-resend' && resend) {
        const receipt = JSON.parse(text) as Record<string, unknown>;
        const now = new Date(Date.now() + 1000);
        const again = await countersignBericht(JSON.parse(body) as Record<string, unknown>, signer, now);
        return c.json({ ...receipt, ontvangenOp: now.toISOString(), handtekening: again.signatures.at(-1) ?? null }, 202);
      }
    }
    if (c.req.method === 'GET' && defect === 'checkpoint-not-cosigned' && new URL(c.req.url).pathname === '/v1/log/checkpoint' && response.statusCode === 200) {
      // Only the log's own signature line, the first: the witnesses' cosignatures dropped.
      const split = text.lastIndexOf('\n\n');
      return new Response(`${text.slice(0, split + 2)}${text.slice(split + 2).split('\n')[0] ?? ''}\n`, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    return new Response(text, { status: response.statusCode, headers: { 'content-type': String(response.headers['content-type'] ?? 'application/json') } });
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => { resolve(s); });
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => { server.close(() => { resolve(); }); }) };
}

function gatewayDefect(id: string): GatewayDefect {
  switch (id) {
    case 'CNF-401': return 'receipt-not-countersigned';
    case 'CNF-402': return { deadPush: '00000001000000009280' };
    case 'CNF-403': return { deadPush: '00000004000000010001' };
    case 'CNF-404': return 'new-receipt-on-resend';
    case 'CNF-436':
    case 'CNF-437': return 'promise-another-leaf';
    case 'CNF-438': return 'checkpoint-not-cosigned';
    default: return 'accepts-what-it-should-refuse';
  }
}

describe('role gateway: each case catches Zicht\'s gateway with one defect', () => {
  it.each(gatewayCases().map((c) => [c.id, c.title] as const))('%s (%s)', async (id) => {
    const defect = gatewayDefect(id);
    await onFreePort(async (port) => {
      const ref = await referenceGateway(port, typeof defect === 'object' ? [defect.deadPush] : []);
      const proxy = await defectiveGateway(ref.gateway.url, ref.signer, defect);
      try {
        const report = await runConformance({ role: 'gateway', target: proxy.url, network: ref.network, listen: { port }, gatewayOin: ref.signer.oin, only: new Set([id]), timeoutMs: 1500, settleMs: 100 });
        const result = report.results.find((r) => r.id === id);
        expect(result?.outcome, `${JSON.stringify(defect)}: ${result?.reason ?? ''}`).toBe('fail');
      } finally {
        await proxy.close();
        await ref.close();
      }
    });
  });
});

/** The one defect each vt case must catch. */
const VT_DEFECTS: Readonly<Record<string, ReferenceVtDefect>> = {
  'CNF-701': { kind: 'invalid-bericht' },
  'CNF-702': { kind: 'unsigned' },
  'CNF-703': { kind: 'unregistered-key' },
  'CNF-704': { kind: 'changed-after-signing' },
  'CNF-705': { kind: 'unregistered-receiver' },
  'CNF-706': { kind: 'token-wrong-audience' },
  'CNF-707': { kind: 'volgnummer-repeats' },
  'CNF-711': { kind: 'no-retry' },
  'CNF-712': { kind: 'retry-rebuilds' },
  'CNF-713': { kind: 'retries-refused' },
  'CNF-717': { kind: 'transport-receipt-unchecked' },
  'CNF-721': { kind: 'receiver', defect: { kind: 'refuses-receipts' } },
  'CNF-722': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-001' } },
  'CNF-723': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-001' } },
  'CNF-724': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-002' } },
  'CNF-725': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-003' } },
  'CNF-726': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-004' } },
  'CNF-727': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-004' } },
  'CNF-728': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'SIG-005' } },
  'CNF-729': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'BER-015' } },
  'CNF-708': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'AFL-004' } },
  'CNF-709': { kind: 'receiver', defect: { kind: 'key-directory-failure-cached' } },
  'CNF-710': { kind: 'receiver', defect: { kind: 'push-token-lax', skip: 'issuer' } },
  'CNF-714': { kind: 'receiver', defect: { kind: 'push-token-lax', skip: 'lifetime' } },
  'CNF-730': { kind: 'receiver', defect: { kind: 'key-window-ignored' } },
  'CNF-731': { kind: 'receiver', defect: { kind: 'key-window-ignored' } },
  'CNF-732': { kind: 'receiver', defect: { kind: 'key-window-ignored' } },
  'CNF-733': { kind: 'receiver', defect: { kind: 'key-revocation-at-iat' } },
  'CNF-734': { kind: 'receiver', defect: { kind: 'key-cache-by-kid' } },
  'CNF-735': { kind: 'receiver', defect: { kind: 'ignores-rule', rule: 'AFL-002' } },
  'CNF-736': { kind: 'receiver', defect: { kind: 'push-token-lax', skip: 'signature' } },
  'CNF-737': { kind: 'receiver', defect: { kind: 'push-token-lax', skip: 'audience' } },
  'CNF-738': { kind: 'receiver', defect: { kind: 'push-token-lax', skip: 'expiry' } },
  'CNF-739': { kind: 'receiver', defect: { kind: 'push-token-lax', skip: 'replay' } },
  ...Object.fromEntries(
    (['BER-013', 'BER-016', 'ONT-001', 'ONT-008', 'ONT-009', 'VRW-001', 'VRW-002', 'LVC-001', 'LVC-002', 'LVC-003', 'LVC-004', 'LVC-006', 'LVC-007', 'LVC-008', 'LVC-009'] as const).map((rule) => [
      ruleCaseId('vt', rule) ?? '',
      { kind: 'receiver', defect: { kind: 'ignores-rule', rule } } satisfies ReferenceVtDefect,
    ]),
  ),
  ...Object.fromEntries(
    (['BER-001', 'BER-002', 'BER-003', 'BER-004', 'BER-005', 'BER-006', 'BER-007', 'BER-008', 'BER-009', 'BER-010', 'BER-011', 'BER-012', 'BER-014', 'BER-017', 'SIG-006', 'SIG-007', 'SIG-008', 'ONT-003', 'ONT-004', 'ONT-005', 'ONT-006'] as const).map((rule) => [
      ruleCaseId('vt', rule) ?? '',
      { kind: 'receiver', defect: { kind: 'ignores-rule', rule } } satisfies ReferenceVtDefect,
    ]),
  ),
  'CNF-715': { kind: 'receiver', defect: { kind: 'answers-not-addressed' } },
  'CNF-716': { kind: 'receiver', defect: { kind: 'signatures-before-held' } },
  'CNF-953': { kind: 'receiver', defect: { kind: 'refuses-warnings' } },
  'CNF-980': { kind: 'receiver', defect: { kind: 'trail-as-conflict' } },
  'CNF-981': { kind: 'ignores-retry-after' },
};

describe('role vt: each case catches the reference VT system with one defect', () => {
  it('every vt case has a defect', () => {
    expect(vtCases().map((c) => c.id).filter((id) => !(id in VT_DEFECTS))).toEqual([]);
  });

  it.each(vtCases().map((c) => [c.id, c.title] as const))('%s (%s)', async (id) => {
    const defect = VT_DEFECTS[id] ?? { kind: 'unsigned' };
    const ref = await referenceVt(defect);
    try {
      // A resend after a refusal is seen only after the quiet period: give it time.
      const report = await runConformance({ role: 'vt', target: ref.vt.url, sender: { oin: VT_ZUID_LIMBURG, jwks: ref.jwks }, trigger: urlTrigger(ref.vt.triggerUrl), onListening: ref.setGateway, only: new Set([id]), timeoutMs: 1500, settleMs: id === 'CNF-713' ? 2000 : 100 });
      await ref.vt.idle();
      const result = report.results.find((r) => r.id === id);
      expect(result?.outcome, `${JSON.stringify(defect)}: ${result?.reason ?? ''}`).toBe('fail');
    } finally {
      await ref.vt.close();
    }
  });
});

/** What the whole suite of a role made of one variant. */
interface Catch {
  readonly id: string;
  readonly title: string;
  readonly level: 'must' | 'should';
  readonly caught: boolean;
  /** The cases that failed (or errored) against the variant. */
  readonly failedCases: readonly string[];
}

const catches: Record<'gemeente' | 'vt', Catch[]> = { gemeente: [], vt: [] };

/** Runs the whole suite of `role` against one variant and records what it caught. */
async function judgeVariant<D>(role: 'gemeente' | 'vt', variant: Variant<D>, run: () => Promise<readonly { id: string; outcome: string }[]>): Promise<Catch> {
  const results = await run();
  const failedCases = results.filter((r) => r.outcome === 'fail' || r.outcome === 'error').map((r) => r.id);
  const found: Catch = { id: variant.id, title: variant.title, level: variant.level, caught: failedCases.length > 0, failedCases };
  catches[role].push(found);
  if (variant.level === 'must') expect(found.caught, 'a must-level defect passes the whole suite').toBe(true);
  expect(failedCases.filter((c) => variant.caughtBy.includes(c)), `failed: ${failedCases.join(', ')}`).not.toEqual([]);
  return found;
}

const figure = (list: readonly Catch[]) => ({
  variants: list.length,
  caught: list.filter((c) => c.caught).length,
  mustVariants: list.filter((c) => c.level === 'must').length,
  mustCaught: list.filter((c) => c.level === 'must' && c.caught).length,
  rate: list.length === 0 ? 0 : Math.round((list.filter((c) => c.caught).length / list.length) * 1000) / 1000,
});

/** How long one run of a role's whole suite may take: on a loaded machine a variant that never answers waits out every receipt case (about 30 s on two busy cores). */
const WHOLE_SUITE_MS = 120_000;

/**
 * The catch rate: the whole suite of each role against every variant of the catalogue. Every
 * must-level variant must be caught, by (at least) the cases the catalogue names. The figure is
 * printed and kept in bench/results/conformance-catch-rate.json.
 */
describe('catch rate: the whole suite against the defect catalogue', () => {
  afterAll(() => {
    if (catches.gemeente.length + catches.vt.length < GEMEENTE_VARIANTS.length + VT_VARIANTS.length) return;
    const result = {
      name: 'conformance suite catch rate (one-defect variants of the reference systems caught / variants)',
      roles: { gemeente: { ...figure(catches.gemeente), variantsCaught: catches.gemeente }, vt: { ...figure(catches.vt), variantsCaught: catches.vt } },
    };
    writeFileSync(new URL('../../bench/results/conformance-catch-rate.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    for (const role of ['gemeente', 'vt'] as const) {
      const f = figure(catches[role]);
      console.log(`conformance catch rate, role ${role}: ${f.caught}/${f.variants} variants caught (must: ${f.mustCaught}/${f.mustVariants})`);
    }
  });

  it('has at least 25 variants per role, with unique ids', () => {
    expect(GEMEENTE_VARIANTS.length).toBeGreaterThanOrEqual(25);
    expect(VT_VARIANTS.length).toBeGreaterThanOrEqual(25);
    const ids = [...GEMEENTE_VARIANTS, ...VT_VARIANTS].map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(GEMEENTE_VARIANTS.map((v) => [v.id, v.title, v] as const))('gemeente %s: %s', async (_id, _title, variant) => {
    await judgeVariant('gemeente', variant, async () => {
      const mode = variant.mode ?? 'push';
      const ref = await referenceGemeente(variant.defect, mode, variant.encryption === undefined ? {} : { encryption: variant.encryption });
      try {
        const report = await runConformance({ role: 'gemeente', mode, target: mode === 'postbus' ? 'postbus:' : ref.receiver.url, sut: { ...HEERLEN, jwks: ref.jwks, versleutelingssleutels: ref.versleutelingssleutels }, trigger: ref.trigger, onListening: ref.setGateway, timeoutMs: 1000, settleMs: 400 });
        await ref.receiver.idle();
        return report.results;
      } finally {
        await ref.receiver.close();
      }
    });
  }, WHOLE_SUITE_MS);

  it.each(VT_VARIANTS.map((v) => [v.id, v.title, v] as const))('vt %s: %s', async (_id, _title, variant) => {
    await judgeVariant('vt', variant, async () => {
      const ref = await referenceVt(variant.defect);
      try {
        const report = await runConformance({ role: 'vt', target: ref.vt.url, sender: { oin: VT_ZUID_LIMBURG, jwks: ref.jwks }, trigger: urlTrigger(ref.vt.triggerUrl), onListening: ref.setGateway, timeoutMs: 1000, settleMs: 1000 });
        await ref.vt.idle();
        return report.results;
      } finally {
        await ref.vt.close();
      }
    });
  }, WHOLE_SUITE_MS);
});
