/**
 * The JWS protected header of a Zicht signature, read from untrusted input in a fixed order so that
 * each refusal has its own code: size, encoding, `alg` (none, then the allow list), `crit`, then the
 * Zicht members. Two kinds exist, told apart by `typ`:
 *
 * - the sender's signature (`typ: "zicht-bericht+jws"`): `alg`, `kid` (RFC 7638 thumbprint), `iat`,
 *   `oin` (the signer's OIN), `crit: ["oin"]`;
 * - the gateway's countersignature (`typ: "zicht-ontvangst+jws"`): the same plus `rcv`, the instant the
 *   gateway received the bericht, `crit: ["oin", "rcv"]`. The header is signed with the payload
 *   (RFC 7515 §5.1), so the countersignature covers the canonical bericht plus received-at.
 *
 * `oin` and `rcv` are critical (RFC 7515 §4.1.11) so that a verifier that does not know them refuses
 * the signature instead of ignoring who signed or when it was received.
 */
import { z } from 'zod';
import { JsonError, SignatureError } from '../errors.js';
import { parseStrictJson } from '../json/strict-json.js';
import { Oin, Tijdstip } from '../model/primitives.js';
import { isSigningAlgorithm, SIGNING_ALGORITHMS, type SigningAlgorithm } from './algorithms.js';
import { MAX_PROTECTED_HEADER_LENGTH } from './limits.js';

/** The `typ` of each kind of Zicht signature. */
export const SIGNATURE_TYP = {
  /** The sender's signature. */
  bericht: 'zicht-bericht+jws',
  /** The gateway's countersignature on acceptance. */
  ontvangst: 'zicht-ontvangst+jws',
} as const;

/** The extension header parameters Zicht understands; any other name in `crit` is refused. */
export const UNDERSTOOD_CRIT = ['oin', 'rcv'] as const;

/**
 * Header names RFC 7515 §4.1.11 forbids in `crit` (they are defined by the JWS/JWA/JWE specifications themselves).
 * `b64` is not one: RFC 7797 defines it as an extension that belongs in `crit`, so it is a name Zicht does not
 * understand (`ZICHT_SIGNATURE_CRIT_UNKNOWN`, SIG-002), as every text says (implementation-questions.md Q155).
 */
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit', 'enc', 'zip']);

const Kid = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const Iat = z.int().min(0).max(253_402_300_799);

const SenderHeader = z.looseObject({
  alg: z.enum(SIGNING_ALGORITHMS),
  typ: z.literal(SIGNATURE_TYP.bericht),
  kid: Kid,
  iat: Iat,
  oin: Oin,
  crit: z.tuple([z.literal('oin')]),
});

const CountersignatureHeader = z.looseObject({
  alg: z.enum(SIGNING_ALGORITHMS),
  typ: z.literal(SIGNATURE_TYP.ontvangst),
  kid: Kid,
  iat: Iat,
  oin: Oin,
  rcv: Tijdstip,
  crit: z.union([z.tuple([z.literal('oin'), z.literal('rcv')]), z.tuple([z.literal('rcv'), z.literal('oin')])]),
});

/** The protected header of a sender's signature. */
export type SenderHeader = z.infer<typeof SenderHeader>;
/** The protected header of a gateway countersignature. */
export type CountersignatureHeader = z.infer<typeof CountersignatureHeader>;
/** Which signature a header belongs to. */
export type SignatureKind = keyof typeof SIGNATURE_TYP;

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a base64url protected header (or a JWT's claims) into its JSON object, checking size, encoding
 * and that no member is named twice (SIG-006).
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_HEADER_TOO_LARGE`, `ZICHT_SIGNATURE_MALFORMED`,
 *   `ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER`.
 */
export function decodeProtectedHeader(encoded: string, index?: number): Record<string, unknown> {
  if (encoded.length > MAX_PROTECTED_HEADER_LENGTH) throw new SignatureError('ZICHT_SIGNATURE_HEADER_TOO_LARGE', { index });
  if (!/^[A-Za-z0-9_-]+$/.test(encoded) || encoded.length % 4 === 1) {
    throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the protected header is not base64url' });
  }
  let header: unknown;
  try {
    header = parseStrictJson(fatalUtf8.decode(Buffer.from(encoded, 'base64url')));
  } catch (error) {
    // RFC 7515 §4 lets a parser take the last of two equal names; Zicht refuses the header (SIG-006).
    if (error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER') throw new SignatureError('ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER', { index });
    throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the protected header is not UTF-8 JSON', cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the protected header is not a JSON object' });
  }
  return header as Record<string, unknown>;
}

/**
 * The header's `alg` when it is one Zicht allows.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_ALG_NONE` for `none` in any letter case, `ZICHT_SIGNATURE_ALG_NOT_ALLOWED`
 *   for any other algorithm (HS256 and friends included), `ZICHT_SIGNATURE_MALFORMED` when `alg` is missing or not a string.
 */
export function checkAlgorithm(header: Record<string, unknown>, index?: number): SigningAlgorithm {
  const { alg } = header;
  if (typeof alg !== 'string' || alg === '') throw new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the protected header has no alg' });
  if (alg.toLowerCase() === 'none') throw new SignatureError('ZICHT_SIGNATURE_ALG_NONE', { index });
  if (!isSigningAlgorithm(alg)) throw new SignatureError('ZICHT_SIGNATURE_ALG_NOT_ALLOWED', { index });
  return alg;
}

/**
 * Checks `crit` (RFC 7515 §4.1.11): when present, a non-empty array of distinct names, none registered
 * by JWS itself, each present in the header, each one Zicht understands.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_CRIT_UNKNOWN` for a name Zicht does not understand,
 *   `ZICHT_SIGNATURE_MALFORMED` for a `crit` that breaks RFC 7515's rules.
 */
export function checkCrit(header: Record<string, unknown>, index?: number): void {
  if (!('crit' in header)) return;
  const { crit } = header;
  const malformed = (): SignatureError => new SignatureError('ZICHT_SIGNATURE_MALFORMED', { index, message: 'the crit header breaks RFC 7515 §4.1.11' });
  if (!Array.isArray(crit) || crit.length === 0 || crit.length > 16) throw malformed();
  const seen = new Set<string>();
  for (const name of crit as unknown[]) {
    if (typeof name !== 'string' || name === '' || seen.has(name) || REGISTERED.has(name)) throw malformed();
    seen.add(name);
  }
  for (const name of seen) {
    if (!(UNDERSTOOD_CRIT as readonly string[]).includes(name)) throw new SignatureError('ZICHT_SIGNATURE_CRIT_UNKNOWN', { index });
    if (!(name in header)) throw malformed();
  }
}

/** A read protected header, with its kind. */
export type ReadHeader = { kind: 'bericht'; header: SenderHeader } | { kind: 'ontvangst'; header: CountersignatureHeader };

/**
 * Reads a protected header in full: decoding, `alg`, `crit`, then the members of its kind.
 *
 * @throws {SignatureError} the codes of {@link decodeProtectedHeader}, {@link checkAlgorithm} and {@link checkCrit},
 *   then `ZICHT_SIGNATURE_HEADER_INVALID` when `typ`, `kid`, `iat`, `oin`, `rcv` or `crit` is missing or wrong.
 */
export function readProtectedHeader(encoded: string, index?: number): ReadHeader {
  const header = decodeProtectedHeader(encoded, index);
  checkAlgorithm(header, index);
  checkCrit(header, index);
  const invalid = (): SignatureError => new SignatureError('ZICHT_SIGNATURE_HEADER_INVALID', { index });
  switch (header.typ) {
    case SIGNATURE_TYP.bericht: {
      const parsed = SenderHeader.safeParse(header);
      if (!parsed.success) throw invalid();
      return { kind: 'bericht', header: parsed.data };
    }
    case SIGNATURE_TYP.ontvangst: {
      const parsed = CountersignatureHeader.safeParse(header);
      if (!parsed.success) throw invalid();
      return { kind: 'ontvangst', header: parsed.data };
    }
    default:
      throw invalid();
  }
}
