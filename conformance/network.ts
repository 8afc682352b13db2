/**
 * The suite's own participants: every party the spec's examples name (both VT organisations, the
 * lokaal teams, the gemeente, the GI) plus a gateway, each with a key of its own (and keys outside
 * their validity), or all with the one tester key (`--key`: a system that pins keys; role gateway). The system under test trusts them either by fetching
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

/** A key of a party outside its validity window, published as such: for the key-validity cases (SIG-003). */
export type KeyWindow = 'revoked' | 'expired' | 'not-yet-valid';

/** A published key: the public JWK with its kid and validity window (RFC 3339, as a gateway publishes them). */
export type PublishedKey = Record<string, unknown> & { readonly kid: string };

/**
 * The suite's signers. Pinned (`--key`, and always in role gateway, whose registry is written by an
 * earlier run): every party and the gateway sign with the one tester key. Otherwise (roles gemeente
 * and vt without `--key`) every party has a key of its own, and besides it three keys outside their
 * validity (revoked two minutes before the run, expired an hour before it, valid only from a day
 * after it), published with their windows by the suite's key directory.
 */
export interface SuiteNetwork {
  readonly privateJwk: unknown;
  readonly gateway: Signer;
  readonly parties: readonly Party[];
  /** Every party signs with the one tester key: the key-validity and per-party key cases cannot run. */
  readonly pinned: boolean;
  signer(oin: string): Promise<Signer>;
  /** A key of `oin` outside its validity, with its window (NumericDate seconds); undefined when pinned. */
  windowed(oin: string, window: KeyWindow): { readonly signer: Signer; readonly nbf: number; readonly exp?: number; readonly revokedAt?: number } | undefined;
  /** The key set the suite publishes for `oin` as the key directory; undefined for an OIN it does not know. */
  jwksOf(oin: string): { readonly keys: readonly PublishedKey[] } | undefined;
  /**
   * A new key of `oin`, published from now on beside its others (a rotation): a key no system can have
   * cached, so that verifying with it needs the key directory (AFL-004). Undefined when pinned.
   */
  rotated(oin: string): Promise<Signer | undefined>;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Prepares the suite's network from the tester's private JWK, or fresh keys for this run (per party with `perParty`). */
export async function suiteNetwork(privateJwk?: unknown, gatewayOin: string = SUITE_GATEWAY_OIN, options: { perParty?: boolean } = {}): Promise<SuiteNetwork> {
  const jwk = privateJwk ?? (await generateSigningKey('ES256')).privateJwk;
  const perParty = options.perParty === true;
  const parties = exampleParties();
  const fresh = async (oin: string) => createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin });
  const signers = new Map<string, Promise<Signer>>();
  const signer = (oin: string): Promise<Signer> => {
    let s = signers.get(oin);
    if (!s) {
      s = perParty && oin !== gatewayOin ? fresh(oin) : createSigner({ privateJwk: jwk, oin });
      signers.set(oin, s);
    }
    return s;
  };
  const now = Math.floor(Date.now() / 1000);
  const windows: Readonly<Record<KeyWindow, { nbf: number; exp?: number; revokedAt?: number }>> = {
    revoked: { nbf: now - 2 * 86_400, revokedAt: now - 120 },
    expired: { nbf: now - 2 * 86_400, exp: now - 3_600 },
    'not-yet-valid': { nbf: now + 86_400 },
  };
  const windowed = new Map<string, Map<KeyWindow, Signer>>();
  const known = [gatewayOin, ...parties.map((p) => p.oin)];
  await Promise.all(known.map((oin) => signer(oin)));
  if (perParty) {
    for (const oin of known) {
      const own = new Map<KeyWindow, Signer>();
      for (const w of Object.keys(windows) as KeyWindow[]) own.set(w, await fresh(oin));
      windowed.set(oin, own);
    }
  }
  const resolved = new Map<string, Signer>();
  const added = new Map<string, Signer[]>();
  for (const oin of known) resolved.set(oin, await signer(oin));
  const publish = (s: Signer, window?: { nbf: number; exp?: number; revokedAt?: number }): PublishedKey => ({
    ...s.publicJwk,
    kid: s.kid,
    ...(window === undefined ? {} : { nbf: iso(window.nbf), ...(window.exp === undefined ? {} : { exp: iso(window.exp) }), ...(window.revokedAt === undefined ? {} : { revokedAt: iso(window.revokedAt) }) }),
  });
  return {
    privateJwk: jwk,
    gateway: await signer(gatewayOin),
    parties,
    pinned: !perParty,
    signer,
    windowed(oin, window) {
      const s = windowed.get(oin)?.get(window);
      return s === undefined ? undefined : { signer: s, ...windows[window] };
    },
    jwksOf(oin) {
      const own = resolved.get(oin);
      if (own === undefined) return undefined;
      const extra = [...(windowed.get(oin) ?? new Map<KeyWindow, Signer>()).entries()].map(([w, s]) => publish(s, windows[w]));
      return { keys: [publish(own), ...extra, ...(added.get(oin) ?? []).map((s) => publish(s))] };
    },
    async rotated(oin) {
      if (!perParty || !resolved.has(oin)) return undefined;
      const next = await fresh(oin);
      added.set(oin, [...(added.get(oin) ?? []), next]);
      return next;
    },
  };
}

/**
 * The registry entries a gateway operator adds so the suite can play every party of the examples
 * (role gateway): each with the tester's public key, and a push address at the suite's listener,
 * except the parties in `pull` (they read their postbus).
 */
export function suiteRegistry(network: SuiteNetwork, listenUrl: string, pull: readonly string[] = []): DeelnemerInput[] {
  const { kid, publicJwk } = network.gateway;
  if (!network.pinned) throw new Error('a registry for another gateway needs the pinned tester key');
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
