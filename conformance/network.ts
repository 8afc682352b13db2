/**
 * The suite's own participants: every party the spec's examples name (both VT organisations, the
 * lokaal teams, the gemeente, the GI) plus a gateway, all signing with the tester's key
 * (`--key`, or a key generated for the run). The system under test trusts them either by fetching
 * their keys from the suite's JWKS endpoints (roles gemeente and vt: the suite is the gateway) or by
 * a registry entry the operator adds (role gateway: {@link suiteRegistry}).
 */
import { createSigner, type Signer } from '../src/signing/signer.js';
import { generateSigningKey } from '../src/signing/generate.js';
import type { DeelnemerInput } from '../src/registry/deelnemer.js';
import { examples } from './fixtures.js';

/** The OIN the suite uses as gateway when it plays one (roles gemeente and vt); the demo's gateway. */
export const SUITE_GATEWAY_OIN = '00000009000000000001';

/** A party of the examples: its OIN, role and the gemeentecodes it acts for. */
export interface Party {
  readonly oin: string;
  readonly rol: 'vt' | 'gemeente' | 'lokaal-team' | 'gi';
  readonly gemeentecodes: readonly string[];
  readonly vtRegio?: string;
}

const record = (value: unknown): Record<string, unknown> | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/** Every party named as sender or receiver in the spec's examples, so that every example can be sent. */
export function exampleParties(): Party[] {
  const parties = new Map<string, { rol: Party['rol']; codes: Set<string>; vtRegio?: string }>();
  const add = (value: unknown, vtRegio?: string) => {
    const p = record(value);
    if (typeof p?.oin !== 'string' || typeof p.rol !== 'string') return;
    const party = parties.get(p.oin) ?? { rol: p.rol as Party['rol'], codes: new Set<string>() };
    if (typeof p.gemeentecode === 'string') party.codes.add(p.gemeentecode);
    if (vtRegio !== undefined && party.rol === 'vt') party.vtRegio = vtRegio;
    parties.set(p.oin, party);
  };
  for (const example of [...examples().valid, ...examples().invalid]) {
    const json = example.json;
    if (!json) continue;
    const regio = record(json.inhoud)?.vtRegio;
    add(json.verzender, typeof regio === 'string' ? regio : undefined);
    if (Array.isArray(json.ontvangers)) for (const o of json.ontvangers) add(o);
  }
  return [...parties.entries()]
    .filter(([oin]) => /^\d{20}$/.test(oin))
    .map(([oin, p]) => ({ oin, rol: p.rol, gemeentecodes: [...p.codes].sort(), ...(p.vtRegio === undefined ? {} : { vtRegio: p.vtRegio }) }));
}

/** The suite's signers: one per party and the gateway, all with the tester's key. */
export interface SuiteNetwork {
  readonly privateJwk: unknown;
  readonly gateway: Signer;
  readonly parties: readonly Party[];
  signer(oin: string): Promise<Signer>;
}

/** Prepares the suite's network from the tester's private JWK, or a fresh key for this run. */
export async function suiteNetwork(privateJwk?: unknown, gatewayOin: string = SUITE_GATEWAY_OIN): Promise<SuiteNetwork> {
  const jwk = privateJwk ?? (await generateSigningKey('ES256')).privateJwk;
  const signers = new Map<string, Promise<Signer>>();
  const signer = (oin: string): Promise<Signer> => {
    let s = signers.get(oin);
    if (!s) {
      s = createSigner({ privateJwk: jwk, oin });
      signers.set(oin, s);
    }
    return s;
  };
  return { privateJwk: jwk, gateway: await signer(gatewayOin), parties: exampleParties(), signer };
}

/**
 * The registry entries a gateway operator adds so the suite can play every party of the examples
 * (role gateway): each with the tester's public key, and a push address at the suite's listener,
 * except the parties in `pull` (they read their postbus).
 */
export function suiteRegistry(network: SuiteNetwork, listenUrl: string, pull: readonly string[] = []): DeelnemerInput[] {
  const { kid, publicJwk } = network.gateway;
  return network.parties.map((p) => ({
    oin: p.oin,
    rol: p.rol,
    naam: `Zicht conformance suite (${p.rol} ${p.oin})`,
    ...(p.vtRegio === undefined ? {} : { vtRegio: p.vtRegio }),
    gemeentecodes: [...p.gemeentecodes],
    status: 'actief' as const,
    sleutels: [{ kid, jwk: publicJwk }],
    afleveradressen: pull.includes(p.oin) ? [] : [{ url: `${listenUrl}/p/${p.oin}/v1`, kanaal: 'zicht-v1' as const }],
  }));
}
