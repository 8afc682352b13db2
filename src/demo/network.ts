/**
 * The demo network: Veilig Thuis Zuid-Limburg, the lokaal teams of Heerlen and Kerkrade and the
 * gateway, each with a freshly generated key in an in-memory registry. The OINs are the ones of the
 * spec's examples, so the examples can be sent through it. Used by `zicht demo` and by the tests.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Bericht } from '../model/bericht.js';
import type { Afleveradres } from '../registry/deelnemer.js';
import type { Versleutelingssleutel } from '../registry/versleutelingssleutel.js';
import { InMemoryDeelnemerRepository } from '../registry/in-memory.js';
import { generateSigningKey } from '../signing/generate.js';
import { signBericht, type SignOptions } from '../signing/sign.js';
import { createSigner, type Signer } from '../signing/signer.js';

/** The demo participants' OINs (fictitious). */
export const DEMO_OIN = {
  gateway: '00000009000000000001',
  vtZuidLimburg: '00000004000000010001',
  heerlen: '00000001000000009170',
  kerkrade: '00000001000000009280',
} as const;

export type DemoParty = Exclude<keyof typeof DEMO_OIN, 'gateway'>;

/** The gemeente each demo lokaal team serves. */
export const DEMO_GEMEENTECODE = { heerlen: 'GM0917', kerkrade: 'GM0928' } as const;

/** A demo network: the registry, the gateway's signer and each party's signer. */
export interface DemoNetwork {
  readonly registry: InMemoryDeelnemerRepository;
  readonly gateway: Signer;
  readonly signers: Readonly<Record<DemoParty, Signer>>;
}

async function signerFor(oin: string): Promise<Signer> {
  const key = await generateSigningKey('ES256');
  return createSigner({ privateJwk: key.privateJwk, oin });
}

const sleutel = (signer: Signer) => ({ kid: signer.kid, jwk: signer.publicJwk });

/** Each demo participant's signer, with a freshly generated key. */
export type DemoKeys = Readonly<Record<keyof typeof DEMO_OIN, Signer>>;

/** Generates the demo participants' keys (so that their systems can start before the network's registry is built). */
export async function createDemoKeys(): Promise<DemoKeys> {
  const [gateway, vtZuidLimburg, heerlen, kerkrade] = await Promise.all([
    signerFor(DEMO_OIN.gateway),
    signerFor(DEMO_OIN.vtZuidLimburg),
    signerFor(DEMO_OIN.heerlen),
    signerFor(DEMO_OIN.kerkrade),
  ]);
  return { gateway, vtZuidLimburg, heerlen, kerkrade };
}

/**
 * Builds the network. `endpoints` gives a party a push address (`https?://…/v1` for the Zicht API, or an
 * afleveradres with its kanaal, e.g. FHIR); a party without one reads its postbus. `keys`: the
 * participants' signers, when made beforehand (default fresh ones). `encryption`: a party's public encryption
 * keys (ENC-001), so that the gateway sends it berichten as JWE.
 */
export async function createDemoNetwork(
  endpoints: Partial<Record<DemoParty, string | Afleveradres>> = {},
  keys?: DemoKeys,
  encryption: Partial<Record<DemoParty, readonly Versleutelingssleutel[]>> = {},
): Promise<DemoNetwork> {
  const { gateway, vtZuidLimburg, heerlen, kerkrade } = keys ?? (await createDemoKeys());
  const adres = (party: DemoParty) => {
    const url = endpoints[party];
    if (url === undefined) return [];
    return [typeof url === 'string' ? { url, kanaal: 'zicht-v1' as const } : url];
  };
  const versleuteling = (party: DemoParty) => (encryption[party] === undefined ? {} : { versleutelingssleutels: encryption[party] });
  const registry = await InMemoryDeelnemerRepository.of([
    { oin: DEMO_OIN.gateway, rol: 'gateway', naam: 'Zicht gateway (demo)', status: 'actief', sleutels: [sleutel(gateway)] },
    { oin: DEMO_OIN.vtZuidLimburg, rol: 'vt', naam: 'Veilig Thuis Zuid-Limburg (demo)', vtRegio: 'zuid-limburg', status: 'actief', sleutels: [sleutel(vtZuidLimburg)], afleveradressen: adres('vtZuidLimburg'), ...versleuteling('vtZuidLimburg') },
    // Heerlen and Kerkrade are in Zuid-Limburg: their records name the zuid-limburg profile (spec/v1/profiles/zuid-limburg.json).
    { oin: DEMO_OIN.heerlen, rol: 'lokaal-team', naam: 'Sociaal team Heerlen (demo)', gemeentecodes: [DEMO_GEMEENTECODE.heerlen], profiel: 'zuid-limburg', status: 'actief', sleutels: [sleutel(heerlen)], afleveradressen: adres('heerlen'), ...versleuteling('heerlen') },
    { oin: DEMO_OIN.kerkrade, rol: 'lokaal-team', naam: 'Sociaal team Kerkrade (demo)', gemeentecodes: [DEMO_GEMEENTECODE.kerkrade], profiel: 'zuid-limburg', status: 'actief', sleutels: [sleutel(kerkrade)], afleveradressen: adres('kerkrade'), ...versleuteling('kerkrade') },
  ]);
  return { registry, gateway, signers: { vtZuidLimburg, heerlen, kerkrade } };
}

/** The valid examples of the spec, found from this module whether it runs from src/ or from dist/src/. */
function examplesDir(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir))) return new URL('spec/v1/examples/valid/', dir);
    if (dir.pathname === '/') throw new Error('the spec examples are not found beside this package');
  }
}

/** A spec example as a template: a new berichtId, sent now. */
export function exampleBericht(name: string, now: Date = new Date()): Bericht {
  const bericht = JSON.parse(readFileSync(new URL(`${name}.json`, examplesDir()), 'utf8')) as Bericht;
  return { ...bericht, berichtId: randomUUID(), verzondenOp: now.toISOString() };
}

/** Signs a bericht as `party` would; `options.iat`: the party's clock (now by default). */
export function signAs(network: DemoNetwork, party: DemoParty, bericht: Bericht, options: SignOptions = {}): Promise<Bericht> {
  return signBericht(bericht, network.signers[party], options);
}
