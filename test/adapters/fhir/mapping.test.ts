/**
 * The FHIR mapping (adapters/fhir/) against every valid example of the spec: the Bundle is valid FHIR
 * R4 by the FHIR ecosystem's own validator (@medplum/core), the round trip bericht → Bundle → bericht
 * is exact, and a signed bericht's signatures still verify after the round trip.
 */
import { describe, expect, it } from 'vitest';
import { berichtToBundle } from '../../../adapters/fhir/to-bundle.js';
import { bundleToBericht } from '../../../adapters/fhir/from-bundle.js';
import { CS, extUrl } from '../../../adapters/fhir/vocabulary.js';
import { fhirSpecFiles } from '../../../adapters/fhir/publish.js';
import type { Bericht } from '../../../src/model/bericht.js';
import { validateBericht } from '../../../src/rules/validate.js';
import { countersignBericht } from '../../../src/signing/countersign.js';
import { generateSigningKey } from '../../../src/signing/generate.js';
import type { KeyResolver } from '../../../src/signing/key-resolver.js';
import { signBericht } from '../../../src/signing/sign.js';
import { createSigner, type Signer } from '../../../src/signing/signer.js';
import { verifyBericht } from '../../../src/signing/verify.js';
import { example, validExamples } from '../../helpers/examples.js';
import { fhirR4Errors } from '../../helpers/fhir-validator.js';

const names = validExamples.map((f) => f.name.replace(/\.json$/, ''));
const GATEWAY_OIN = '00000009000000000001';

/** A signer for any OIN, and a resolver that knows their keys (vt role for VT senders is not checked here). */
const signers = new Map<string, Signer>();
async function signerFor(oin: string): Promise<Signer> {
  let signer = signers.get(oin);
  if (!signer) {
    signer = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin });
    signers.set(oin, signer);
  }
  return signer;
}
const keys: KeyResolver = {
  resolve(oin, kid) {
    const signer = signers.get(oin);
    return signer?.kid === kid ? { kid, jwk: signer.publicJwk, ...(oin === GATEWAY_OIN ? { rol: 'gateway' } : {}) } : undefined;
  },
};

const roundTrip = (bericht: Bericht): unknown => {
  const reading = bundleToBericht(JSON.parse(JSON.stringify(berichtToBundle(bericht))));
  if (!reading.ok) throw new Error(`mapping failed: ${reading.issues.map((i) => `${i.rule} ${i.expression}`).join(', ')}`);
  return reading.bericht;
};

describe.each(names)('example %s', (name) => {
  it('maps to a Bundle that is valid FHIR R4 per @medplum/core validateResource', () => {
    const bundle = berichtToBundle(example(name));
    expect(fhirR4Errors(bundle)).toEqual([]);
    expect(bundle.type).toBe('message');
    expect(bundle.entry[0]?.resource.resourceType).toBe('MessageHeader');
  });

  it('round-trips bericht → Bundle → bericht exactly', () => {
    const bericht = example(name);
    const back = roundTrip(bericht);
    expect(back).toStrictEqual(bericht);
    expect(validateBericht(new TextEncoder().encode(JSON.stringify(back))).ok).toBe(true);
  });

  it('keeps the sender signature and the gateway countersignature verifiable through the round trip', async () => {
    const bericht = example(name);
    const signed = await signBericht(bericht, await signerFor(bericht.verzender.oin));
    const countersigned = await countersignBericht(signed, await signerFor(GATEWAY_OIN), new Date());
    const back = roundTrip(countersigned);
    expect(back).toStrictEqual(countersigned);
    const verified = await verifyBericht(back, { keys, requireCountersignature: true });
    expect(verified.countersignatures).toHaveLength(1);
    expect(fhirR4Errors(berichtToBundle(countersigned))).toEqual([]);
  });

  it('maps deterministically: the same bericht gives the same Bundle', () => {
    expect(JSON.stringify(berichtToBundle(example(name)))).toBe(JSON.stringify(berichtToBundle(example(name))));
  });
});

describe('the message structure', () => {
  it('names the bericht type as eventCoding and puts the payload resource first in focus', () => {
    const expected = {
      overdracht: 'Communication',
      veiligheidsvoorwaarden: 'CarePlan',
      ontvangstbevestiging: 'Task',
      'contact-gestart': 'Encounter',
      monitoring: 'Observation',
      afsluiting: 'Task',
      escalatie: 'Communication',
      'escalatie-antwoord': 'Communication',
      termijnsignaal: 'Task',
    } as const satisfies Record<Bericht['berichtType'], string>;
    for (const name of names) {
      const bericht = example(name);
      const bundle = berichtToBundle(bericht);
      const header = bundle.entry[0]?.resource as unknown as { eventCoding: { system: string; code: string }; focus: { reference: string }[] };
      expect(header.eventCoding).toEqual({ system: CS.berichttype, code: bericht.berichtType });
      const focus = bundle.entry.find((e) => e.fullUrl === header.focus[0]?.reference);
      expect(focus?.resource.resourceType).toBe(expected[bericht.berichtType]);
    }
  });

  it('keeps an empty optional list and an empty contact apart from an absent one', () => {
    const bericht = example('overdracht-na-dienst-onderzoek');
    if (bericht.berichtType !== 'overdracht' || bericht.inhoud.moment !== 'na-dienst') throw new Error('unexpected example');
    const [first] = bericht.inhoud.directbetrokkenen;
    if (!first) throw new Error('no person');
    first.contact = {};
    bericht.inhoud.toestemming = [];
    bericht.inhoud.informeren = [];
    const bundle = berichtToBundle(bericht);
    expect(JSON.stringify(bundle)).toContain(extUrl('leeg'));
    expect(fhirR4Errors(bundle)).toEqual([]);
    expect(roundTrip(bericht)).toStrictEqual(bericht);
    delete bericht.inhoud.toestemming;
    delete bericht.inhoud.informeren;
    delete first.contact;
    expect(roundTrip(bericht)).toStrictEqual(bericht);
  });
});

describe('the published mapping (spec/v1/fhir/)', () => {
  const files = [...fhirSpecFiles()].filter(([path]) => path.endsWith('.json'));
  it.each(files.map(([path, content]) => [path, content] as const))('%s is valid FHIR R4 per @medplum/core', (_path, content) => {
    expect(fhirR4Errors(JSON.parse(content))).toEqual([]);
  });

  it('declares reliable messaging in the CapabilityStatement and a page per bericht type', () => {
    const capability = JSON.parse(fhirSpecFiles().get('spec/v1/fhir/CapabilityStatement-zicht-gateway.json') ?? '{}') as { messaging: { reliableCache: number }[] };
    expect(capability.messaging[0]?.reliableCache).toBeGreaterThan(0);
    for (const type of ['overdracht', 'veiligheidsvoorwaarden', 'ontvangstbevestiging', 'contact-gestart', 'monitoring', 'afsluiting', 'escalatie', 'escalatie-antwoord', 'termijnsignaal']) expect(fhirSpecFiles().has(`spec/v1/fhir/${type}.md`)).toBe(true);
  });
});

describe('the lifecycle types: variants the examples do not show', () => {
  const variants: readonly (readonly [string, () => Bericht])[] = [
    [
      'afsluiting with reden anders and a toelichting (LVC-006)',
      () => {
        const bericht = example('afsluiting');
        if (bericht.berichtType !== 'afsluiting') throw new Error('unexpected example');
        bericht.inhoud = { ...bericht.inhoud, reden: 'anders', toelichting: 'Het gezin is verhuisd naar het buitenland.' };
        return bericht;
      },
    ],
    [
      'termijnsignaal for a monitoring moment (with maand)',
      () => {
        const bericht = example('termijnsignaal');
        if (bericht.berichtType !== 'termijnsignaal') throw new Error('unexpected example');
        bericht.inhoud = { ...bericht.inhoud, termijn: 'monitoring', regel: 'monitoring.momenten', maand: 12 };
        return bericht;
      },
    ],
    [
      'monitoring with outcome stabiel-veilig at month 18',
      () => {
        const bericht = example('monitoring');
        if (bericht.berichtType !== 'monitoring') throw new Error('unexpected example');
        bericht.inhoud = { ...bericht.inhoud, maand: 18, uitkomst: 'stabiel-veilig' };
        return bericht;
      },
    ],
  ];

  it.each(variants)('%s: valid R4 and an exact round trip', (_name, make) => {
    const bericht = make();
    expect(fhirR4Errors(berichtToBundle(bericht))).toEqual([]);
    expect(roundTrip(bericht)).toStrictEqual(bericht);
  });

  it('contact-gestart: the validator does require Encounter.class, which the mapping fills with data-absent-reason only', () => {
    const bundle = berichtToBundle(example('contact-gestart'));
    const encounter = bundle.entry.find((e) => e.resource.resourceType === 'Encounter')?.resource;
    expect(encounter?.class).toEqual({ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] });
    const withoutClass: Record<string, unknown> = { ...encounter };
    delete withoutClass.class;
    expect(fhirR4Errors(withoutClass)).not.toEqual([]);
  });
});
