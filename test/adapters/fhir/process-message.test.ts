/**
 * POST /v1/fhir/$process-message in-process (app.request()) on SQLite: a FHIR message goes through
 * the same accept path as POST /v1/berichten, answers FHIR response messages (ok, fatal-error,
 * transient-error) with OperationOutcomes that carry rule ids and FHIRPath expressions, follows
 * reliable messaging for resends, and never echoes personal data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { berichtToBundle } from '../../../adapters/fhir/to-bundle.js';
import type { FhirBundle } from '../../../adapters/fhir/resource.js';
import { CS } from '../../../adapters/fhir/vocabulary.js';
import { createApp } from '../../../src/http/app.js';
import { memoryReplayGuard } from '../../../src/http/auth.js';
import { tokenBucket } from '../../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoParty } from '../../../src/demo/network.js';
import type { Bericht } from '../../../src/model/bericht.js';
import { registryKeyResolver } from '../../../src/registry/key-resolver.js';
import { createBearerToken } from '../../../src/signing/bearer-token.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { invalidExamples, personalValuesIn } from '../../helpers/examples.js';
import { fhirR4Errors } from '../../helpers/fhir-validator.js';

const network = await createDemoNetwork();
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zicht-fhir-'));
  store = await openStore(join(dir, 'zicht.db'));
});
afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

let receiverFull: ((oin: string) => boolean) | undefined;
afterEach(() => {
  receiverFull = undefined;
});
const app = () =>
  createApp({
    store,
    registry: network.registry,
    keys: registryKeyResolver(network.registry),
    gateway: network.gateway,
    replay: memoryReplayGuard(),
    rateLimit: tokenBucket({ perSecond: 1000, burst: 10_000 }),
    ...(receiverFull === undefined ? {} : { receiverFull }),
  });

async function post(path: string, party: DemoParty, body: string, contentType = 'application/fhir+json') {
  const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway);
  return app().request(path, { method: 'POST', body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
}
const processMessage = (party: DemoParty, body: string, contentType?: string) => post('/v1/fhir/$process-message', party, body, contentType);

interface Outcome {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; details: { coding?: { system: string; code: string }[]; text: string }; expression?: string[] }[];
}
interface Header {
  resourceType: 'MessageHeader';
  response: { identifier: string; code: string; details?: { reference: string } };
}
/** The MessageHeader and the OperationOutcome of a response message (or a bare OperationOutcome). */
type Answer = { resourceType: string; entry?: { fullUrl: string; resource: { resourceType: string } }[] };
function partsOf(value: unknown): { header?: Header; outcome?: Outcome } {
  const body = value as Answer;
  if (body.resourceType === 'OperationOutcome') return { outcome: body as unknown as Outcome };
  const header = body.entry?.[0]?.resource as unknown as Header;
  const outcome = body.entry?.find((e) => e.fullUrl === header.response.details?.reference)?.resource as unknown as Outcome | undefined;
  return { header, ...(outcome ? { outcome } : {}) };
}
const rulesOf = (outcome: Outcome | undefined) => (outcome?.issue ?? []).flatMap((i) => i.details.coding?.map((c) => c.code) ?? []);
const handover = (): Bericht => exampleBericht('overdracht-na-dienst-onderzoek');
const signedBundle = async (party: DemoParty, bericht: Bericht): Promise<FhirBundle> => berichtToBundle(await signAs(network, party, bericht));

function expectNoPersonalData(text: string): void {
  expect(personalValuesIn(text)).toEqual([]);
}

describe('POST /v1/fhir/$process-message', () => {
  it('accepts a signed handover as a FHIR message: a response message with code ok and the countersignature, stored as on the native route', async () => {
    const bericht = handover();
    const signed = await signAs(network, 'vtZuidLimburg', bericht);
    const response = await processMessage('vtZuidLimburg', JSON.stringify(berichtToBundle(signed)));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const body = (await response.json()) as FhirBundle;
    expect(fhirR4Errors(body)).toEqual([]);
    const { header } = partsOf(body);
    expect(header?.response).toEqual({ identifier: bericht.berichtId, code: 'ok' });
    const provenance = body.entry.find((e) => e.resource.resourceType === 'Provenance')?.resource as unknown as { signature: { data: string }[] };
    const stored = await store.getBericht(bericht.berichtId);
    const storedBericht = JSON.parse(stored?.body ?? '{}') as Bericht;
    const [, countersignature] = storedBericht.signatures ?? [];
    expect(Buffer.from(provenance.signature[0]?.data ?? '', 'base64').toString()).toBe(`${countersignature?.protected ?? ''}..${countersignature?.signature ?? ''}`);
    expect({ ...storedBericht, signatures: storedBericht.signatures?.slice(0, 1) }).toEqual(signed);
    expect((await store.listDeliveries(bericht.berichtId)).map((d) => d.receiverOin)).toEqual([DEMO_OIN.heerlen, DEMO_OIN.kerkrade]);
  });

  it('answers the same message again with the original response (reliable messaging)', async () => {
    const body = JSON.stringify(await signedBundle('vtZuidLimburg', handover()));
    const first = await (await processMessage('vtZuidLimburg', body)).json();
    const again = await processMessage('vtZuidLimburg', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
  });

  it('answers the same id with other content with fatal-error BER-015', async () => {
    const bericht = handover();
    await processMessage('vtZuidLimburg', JSON.stringify(await signedBundle('vtZuidLimburg', bericht)));
    const other = { ...bericht, dossier: { ...bericht.dossier, volgnummer: 9 } };
    const response = await processMessage('vtZuidLimburg', JSON.stringify(await signedBundle('vtZuidLimburg', other)));
    expect(response.status).toBe(409);
    const { header, outcome } = partsOf(await response.json());
    expect(header?.response.code).toBe('fatal-error');
    expect(header?.response.identifier).toBe(bericht.berichtId);
    expect(rulesOf(outcome)).toEqual(['BER-015']);
  });

  it('refuses a bericht that breaks a rule with the rule id, a FHIRPath to the element, and no personal data', async () => {
    const bericht = handover();
    if (bericht.berichtType !== 'overdracht') throw new Error('unexpected example');
    const person = bericht.inhoud.directbetrokkenen[1];
    if (!person) throw new Error('no person');
    person.bsn = '123456789';
    const bundle = await signedBundle('vtZuidLimburg', bericht);
    const response = await processMessage('vtZuidLimburg', JSON.stringify(bundle));
    expect(response.status).toBe(422);
    const text = await response.text();
    expectNoPersonalData(text);
    expect(text).not.toContain('123456789');
    const { header, outcome } = partsOf(JSON.parse(text) as unknown);
    expect(header?.response.code).toBe('fatal-error');
    const issue = outcome?.issue.find((i) => i.details.coding?.[0]?.code === 'OVD-013');
    expect(issue?.details.coding?.[0]?.system).toBe('urn:zicht:spec:v1:rules');
    const patientIndex = bundle.entry.findIndex((e) => e.resource.resourceType === 'Patient' && JSON.stringify(e.resource).includes('"p2"'));
    expect(issue?.expression).toEqual([`Bundle.entry[${String(patientIndex)}].resource.identifier[1]`]);
    expect(await store.getBericht(bericht.berichtId)).toBeUndefined();
  });

  const representable = invalidExamples.filter((f) => {
    const rule = f.name.slice(0, 7);
    if (/^BER-00[1-7]$/.test(rule)) return false; // the JSON text and the schema: a FHIR Bundle cannot carry them in that form
    const bericht = JSON.parse(f.bytes.toString('utf8')) as Bericht;
    return Object.values(DEMO_OIN).includes(bericht.verzender.oin as never);
  });
  it.each(representable.map((f) => [f.name, f] as const))('refuses %s with the same rule ids as POST /v1/berichten', async (_name, file) => {
    const bericht = JSON.parse(file.bytes.toString('utf8')) as Bericht;
    const party = (Object.entries(DEMO_OIN).find(([, oin]) => oin === bericht.verzender.oin)?.[0] ?? 'vtZuidLimburg') as DemoParty;
    const signed = await signAs(network, party, bericht);
    const native = await post('/v1/berichten', party, JSON.stringify(signed), 'application/json');
    const nativeRules = ((await native.json()) as { issues: { rule: string }[] }).issues.map((i) => i.rule).sort();
    await store.close();
    store = await openStore(join(dir, 'fresh.db'));
    const fhir = await processMessage(party, JSON.stringify(berichtToBundle(signed)));
    const text = await fhir.text();
    expect(fhir.status).toBe(native.status);
    expect(rulesOf(partsOf(JSON.parse(text) as unknown).outcome).sort()).toEqual(nativeRules);
    expect(nativeRules.length).toBeGreaterThan(0);
    expectNoPersonalData(text);
  });

  describe('invalid Bundles get OperationOutcomes', () => {
    it('not JSON: 400 BER-001', async () => {
      const response = await processMessage('vtZuidLimburg', '{"resourceType": "Bundle"');
      expect(response.status).toBe(400);
      expect(rulesOf(partsOf(await response.json()).outcome)).toEqual(['BER-001']);
    });

    it('not a message Bundle: 400 FHIR-001', async () => {
      const bundle = await signedBundle('vtZuidLimburg', handover());
      const response = await processMessage('vtZuidLimburg', JSON.stringify({ ...bundle, type: 'collection' }));
      expect(response.status).toBe(400);
      const { outcome } = partsOf(await response.json());
      expect(rulesOf(outcome)).toEqual(['FHIR-001']);
      expect(outcome?.issue[0]?.details.coding?.[0]?.system).toBe('urn:zicht:spec:v1:fhir-rules');
    });

    it('a wrong event code: 422 FHIR-002 at the eventCoding', async () => {
      const bundle = await signedBundle('vtZuidLimburg', handover());
      (bundle.entry[0]?.resource as unknown as { eventCoding: unknown }).eventCoding = { system: CS.berichttype, code: 'verwijzing' };
      const response = await processMessage('vtZuidLimburg', JSON.stringify(bundle));
      expect(response.status).toBe(422);
      const { outcome } = partsOf(await response.json());
      expect(rulesOf(outcome)).toEqual(['FHIR-002']);
      expect(outcome?.issue[0]?.expression).toEqual(['Bundle.entry[0].resource.eventCoding']);
    });

    it('a missing focus: a fatal-error response with FHIR-003', async () => {
      const bundle = await signedBundle('vtZuidLimburg', handover());
      delete (bundle.entry[0]?.resource as { focus?: unknown }).focus;
      const response = await processMessage('vtZuidLimburg', JSON.stringify(bundle));
      expect(response.status).toBe(422);
      const { header, outcome } = partsOf(await response.json());
      expect(header?.response.code).toBe('fatal-error');
      expect(rulesOf(outcome)).toEqual(['FHIR-003']);
    });

    it('a broken reference: FHIR-004 at the reference', async () => {
      const bundle = await signedBundle('vtZuidLimburg', handover());
      const groupIndex = bundle.entry.findIndex((e) => e.resource.resourceType === 'Group');
      const group = bundle.entry[groupIndex]?.resource as unknown as { member: { entity: { reference: string } }[] };
      const [first] = group.member;
      if (first) first.entity.reference = 'urn:uuid:00000000-0000-4000-8000-000000000000';
      const response = await processMessage('vtZuidLimburg', JSON.stringify(bundle));
      expect(response.status).toBe(422);
      const { outcome } = partsOf(await response.json());
      expect(rulesOf(outcome)).toEqual(['FHIR-004']);
      expect(outcome?.issue[0]?.expression).toEqual([`Bundle.entry[${String(groupIndex)}].resource.member[0].entity.reference`]);
    });

    it('a message from someone else than the caller: 403 FHIR-006', async () => {
      const response = await processMessage('heerlen', JSON.stringify(await signedBundle('vtZuidLimburg', handover())));
      expect(response.status).toBe(403);
      expect(rulesOf(partsOf(await response.json()).outcome)).toEqual(['FHIR-006']);
    });

    it('no token, or a token replayed: 401; the refused requests store nothing', async () => {
      const bericht = handover();
      const body = JSON.stringify(await signedBundle('vtZuidLimburg', bericht));
      const bare = await app().request('/v1/fhir/$process-message', { method: 'POST', body, headers: { 'content-type': 'application/fhir+json' } });
      expect(bare.status).toBe(401);
      const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
      const replayGuard = app();
      const send = () => replayGuard.request('/v1/fhir/$process-message', { method: 'POST', body, headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` } });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(401);
      expect(await store.listDeliveries(bericht.berichtId)).toHaveLength(bericht.ontvangers.length);
    });

    it('refusals before the operation (401, 429, an unknown FHIR route) are OperationOutcomes too, never problem+json', async () => {
      const body = JSON.stringify(await signedBundle('vtZuidLimburg', handover()));
      const bare = await app().request('/v1/fhir/$process-message', { method: 'POST', body, headers: { 'content-type': 'application/fhir+json' } });
      expect(bare.status).toBe(401);
      expect(bare.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expect(bare.headers.get('www-authenticate')).toBe('Bearer');
      const unauthenticated = (await bare.json()) as Outcome;
      expect(unauthenticated.issue.map((i) => i.code)).toEqual(['login']);
      expect(fhirR4Errors(unauthenticated)).toEqual([]);

      const limited = createApp({ store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: () => 7 });
      const throttled = await limited.request('/v1/fhir/$process-message', { method: 'POST', body, headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` } });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('7');
      expect(((await throttled.json()) as Outcome).issue.map((i) => i.code)).toEqual(['throttled']);

      const unknown = await app().request('/v1/fhir/Patient/1');
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as Outcome).resourceType).toBe('OperationOutcome');
    });

    it('GET [base]/metadata answers the CapabilityStatement of this gateway (kind instance, its base URL), without a token', async () => {
      const response = await app().request('http://zicht.test/v1/fhir/metadata');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      const statement = (await response.json()) as { resourceType: string; kind: string; implementation: { url: string }; messaging: { supportedMessage: unknown[] }[] };
      expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', kind: 'instance', implementation: { url: 'http://zicht.test/v1/fhir' } });
      expect(statement.messaging[0]?.supportedMessage.length).toBeGreaterThan(0);
      expect(fhirR4Errors(statement)).toEqual([]);
    });

    it('another media type: 415 with an OperationOutcome', async () => {
      const response = await processMessage('vtZuidLimburg', JSON.stringify(await signedBundle('vtZuidLimburg', handover())), 'text/plain');
      expect(response.status).toBe(415);
      expect(partsOf(await response.json()).outcome?.resourceType).toBe('OperationOutcome');
    });
  });

  it('answers transient-error with 503 when the database is gone, and stores nothing', async () => {
    const body = JSON.stringify(await signedBundle('vtZuidLimburg', handover()));
    await store.close();
    const response = await processMessage('vtZuidLimburg', body);
    expect(response.status).toBe(503);
    expect(partsOf(await response.json()).header?.response.code).toBe('transient-error');
  });

  it('answers transient-error with 503, Retry-After and RTE-004 when a receiver\'s outbox is full (busy), and stores nothing', async () => {
    receiverFull = (oin) => oin === DEMO_OIN.heerlen;
    const bericht = handover();
    const response = await processMessage('vtZuidLimburg', JSON.stringify(await signedBundle('vtZuidLimburg', bericht)));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    const text = await response.text();
    const { header, outcome } = partsOf(JSON.parse(text) as unknown);
    expect(header?.response.code).toBe('transient-error');
    expect(rulesOf(outcome)).toEqual(['RTE-004']);
    expect(outcome?.issue[0]?.expression).toEqual(['Bundle.entry[0].resource.destination']);
    expect(await store.getBericht(bericht.berichtId)).toBeUndefined();
    expectNoPersonalData(text);
  });
});
