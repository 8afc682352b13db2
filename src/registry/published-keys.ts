/**
 * The key set of a participant as the gateway publishes it, `GET /v1/deelnemers/{oin}/jwks` (spec/v1/receiver.md
 * "Keys"): every registered signing key as a public JWK with its `kid` (the RFC 7638 thumbprint) and its
 * validity window, `nbf`, `exp` and `revokedAt`, each an RFC 3339 date-time with offset, as the registry holds
 * them. A receiving system verifies the sender's signature, the gateway's countersignature and the gateway's
 * push token with these keys, judging the window as spec/v1/time-and-keys.md says. Published in the OpenAPI
 * document and as spec/v1/schemas/DeelnemerJwks.schema.json.
 */
import { z } from 'zod';
import { Tijdstip } from '../model/primitives.js';
import { PublicJwk } from '../signing/jwk.js';
import type { Deelnemer } from './deelnemer.js';

const venster = {
  kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/).meta({ description: 'The RFC 7638 thumbprint (SHA-256, base64url) of the key; signatures and tokens name the key by it.' }),
  nbf: Tijdstip.optional().meta({ description: 'Valid from (RFC 3339 date-time with offset): a signature judged before it does not verify. The judging moment is the gateway\'s clock at receipt, for a receiver the countersignature\'s rcv, never the signer\'s iat (SIG-003, time-and-keys.md).' }),
  exp: Tijdstip.optional().meta({ description: 'Valid until (RFC 3339 date-time with offset): a signature judged at or after it does not verify (SIG-003).' }),
  revokedAt: Tijdstip.optional().meta({ description: 'Revoked at (RFC 3339 date-time with offset): a signature judged at or after it (a bericht the gateway received then) does not verify, whatever its iat; one judged earlier keeps verifying (SIG-003).' }),
};

const [ec, rsa, okp] = PublicJwk.options;

/** One published signing key: a public JWK (EC P-256, RSA or OKP Ed25519) with its kid and validity window. */
export const GepubliceerdeSleutel = z
  .discriminatedUnion('kty', [ec.extend(venster), rsa.extend(venster), okp.extend(venster)])
  .meta({ id: 'GepubliceerdeSleutel', description: 'A public signing key (JWK, RFC 7517) with its kid (RFC 7638 thumbprint) and validity window (nbf, exp, revokedAt as RFC 3339 date-times).' });
export type GepubliceerdeSleutel = z.infer<typeof GepubliceerdeSleutel>;

/** The published key set of one participant. */
export const DeelnemerJwks = z
  .strictObject({ keys: z.array(GepubliceerdeSleutel).max(100) })
  .meta({ id: 'DeelnemerJwks', description: "A participant's public signing keys (JWK Set, RFC 7517 §5), each with its kid and validity window." });
export type DeelnemerJwks = z.infer<typeof DeelnemerJwks>;

/** The key set the gateway publishes for a participant: each registered signing key with its window, as registered. */
export function publishedKeySet(deelnemer: Deelnemer): DeelnemerJwks {
  return {
    keys: deelnemer.sleutels.map((s) => ({
      ...s.jwk,
      kid: s.kid,
      ...(s.nbf === undefined ? {} : { nbf: s.nbf }),
      ...(s.exp === undefined ? {} : { exp: s.exp }),
      ...(s.revokedAt === undefined ? {} : { revokedAt: s.revokedAt }),
    })),
  };
}
