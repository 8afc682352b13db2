/**
 * Deelnemer (participant): an organisation in the Zicht network and the keys it signs with. Kept out
 * of the published spec (src/spec/) on purpose: the registry is the gateway's business, the spec
 * only says a bericht must verify against it. Types are inferred from these schemas.
 */
import { z } from 'zod';
import { publishedProfielen } from '../profiles/load.js';
import { Gemeentecode, KorteTekst, Oin, Tijdstip, VtRegio } from '../model/primitives.js';
import { PublicJwk } from '../signing/jwk.js';
import { Versleutelingssleutel } from './versleutelingssleutel.js';

/**
 * A participant's role: the bericht roles plus `gateway` (countersigns on acceptance), `auditor` (reads the
 * trail) and `operator` (beheerder: runs the gateway for a region; in the console it retries dead letters and
 * suspends or reactivates participants; sends no berichten and sees no content).
 */
export const DeelnemerRol = z.enum(['vt', 'gemeente', 'lokaal-team', 'gi', 'gateway', 'auditor', 'operator']);
export type DeelnemerRol = z.infer<typeof DeelnemerRol>;

/** Whether a participant may take part: `actief` (active) or `geschorst` (suspended). */
export const DeelnemerStatus = z.enum(['actief', 'geschorst']);
export type DeelnemerStatus = z.infer<typeof DeelnemerStatus>;

/** Where berichten for a participant are delivered. */
export const Afleveradres = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** How the participant receives: Zicht's own push API, a webhook that fetches, or FHIR R4 messages (`POST {url}/$process-message`, spec/v1/fhir/). */
  kanaal: z.enum(['zicht-v1', 'webhook', 'fhir']),
});
export type Afleveradres = z.infer<typeof Afleveradres>;

/**
 * One signing key of a participant with its validity window. `kid` is the RFC 7638 thumbprint of
 * `jwk`. A signature judged before `nbf`, at or after `exp`, or at or after `revokedAt` fails; it is judged at the
 * gateway's clock at receipt, or a receiver's countersignature `rcv`, never at its own `iat` (spec/v1/time-and-keys.md).
 */
export const Sleutel = z.strictObject({
  kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  jwk: PublicJwk,
  nbf: Tijdstip.optional(),
  exp: Tijdstip.optional(),
  revokedAt: Tijdstip.optional(),
});
export type Sleutel = z.infer<typeof Sleutel>;

/**
 * A participant of the Zicht network. ENC-002: a participant with encryption keys receives through the
 * Zicht API (push over `zicht-v1` or `webhook`, or its postbus), never over FHIR, which has no JWE profile:
 * the gateway would otherwise have to choose between plaintext and no delivery.
 */
export const Deelnemer = z
  .strictObject({
    /** OIN; in PKIoverheid certificates the Subject serialNumber. */
    oin: Oin,
    rol: DeelnemerRol,
    naam: KorteTekst,
    /** The Veilig Thuis region the participant works in (for a VT: its own region). */
    vtRegio: VtRegio.optional(),
    /**
     * The region profile (spec/v1/profiles/) that governs handovers to this participant (a gemeente,
     * lokaal team or GI): who is responsible when, and the terms. Without one, `landelijk-minimum`. Only a
     * profile published in spec/v1/profiles is taken (CFG-001).
     */
    profiel: z
      .string()
      .regex(/^[a-z]+(?:-[a-z]+)*$/)
      .max(40)
      .meta({ description: 'The id of a region profile published in spec/v1/profiles/ (the file name without .json); any other id is refused (CFG-001). Without one, landelijk-minimum.' })
      .optional(),
    /** CBS codes of the gemeenten the participant serves. */
    gemeentecodes: z.array(Gemeentecode).max(400).default([]),
    afleveradressen: z.array(Afleveradres).max(10).default([]),
    status: DeelnemerStatus,
    sleutels: z.array(Sleutel).max(50).default([]),
    /**
     * Public encryption keys (ENC-001): with a current one, the gateway delivers berichten to the participant as
     * JWE (ENC-003). Absent rather than empty when there are none, so that records of participants without
     * encryption read as before.
     */
    versleutelingssleutels: z.array(Versleutelingssleutel).max(20).optional(),
  })
  .superRefine((deelnemer, ctx) => {
    // A profile the standard does not publish would leave every dossier of this participant without a ledger (responsibility.md §5).
    if (deelnemer.profiel !== undefined && !publishedProfielen().has(deelnemer.profiel)) {
      ctx.addIssue({ code: 'custom', path: ['profiel'], message: `CFG-001: no region profile with this id is published in spec/v1/profiles (published: ${[...publishedProfielen().keys()].join(', ')})`, params: { rule: 'CFG-001' } });
    }
    const versleutelingssleutels = deelnemer.versleutelingssleutels ?? [];
    if (versleutelingssleutels.length > 0 && deelnemer.afleveradressen[0]?.kanaal === 'fhir') {
      ctx.addIssue({
        code: 'custom',
        path: ['versleutelingssleutels'],
        message: 'ENC-002: berichten over the FHIR channel cannot be encrypted; receive through the Zicht API (zicht-v1, webhook or the postbus) to register an encryption key',
        params: { rule: 'ENC-002' },
      });
    }
    if (new Set(versleutelingssleutels.map((s) => s.kid)).size !== versleutelingssleutels.length) {
      ctx.addIssue({ code: 'custom', path: ['versleutelingssleutels'], message: 'ENC-001: a participant lists the same encryption key twice', params: { rule: 'ENC-001' } });
    }
  });
export type Deelnemer = z.infer<typeof Deelnemer>;
/** A participant as written in a registry file (defaults not yet applied). */
export type DeelnemerInput = z.input<typeof Deelnemer>;
