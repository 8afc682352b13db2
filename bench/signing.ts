/**
 * Signing and verification throughput on the spec examples, for ES256, PS256 and EdDSA, each as a
 * ratio to bare jose on the same bytes in the same run:
 * - sign: signBericht (RFC 8785 canonicalisation + header + detached JWS) vs jose FlattenedSign of the
 *   already canonical bytes with the same header and key;
 * - verify: verifyBericht (envelope, canonicalisation, header checks, key lookup and validity, JWS)
 *   vs jose flattenedVerify of the same signature over the already encoded payload.
 * Target: the full verify path >= 0.7x bare jose verify.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FlattenedSign, flattenedVerify } from 'jose';
import { SIGNING_ALGORITHMS } from '../src/signing/algorithms.js';
import { canonicalBericht } from '../src/signing/canonical.js';
import { decodeProtectedHeader } from '../src/signing/header.js';
import { encodePayload } from '../src/signing/detached.js';
import { generateSigningKey } from '../src/signing/generate.js';
import { importVerificationKey } from '../src/signing/key-import.js';
import { jwksKeyResolver } from '../src/signing/key-resolver.js';
import { signBericht } from '../src/signing/sign.js';
import { createSigner, type Signer } from '../src/signing/signer.js';
import { verifyBericht } from '../src/signing/verify.js';
import { compare, type Figure } from './harness.js';

const dir = join(import.meta.dirname, '..', 'spec', 'v1', 'examples', 'valid');
const berichten = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { verzender: { oin: string } } & Record<string, unknown>);
const crit = { oin: true, rcv: true };

/** Runs the signing figures. */
export async function benchSigning(rounds: number): Promise<Figure[]> {
  const options = { rounds, roundMs: 300 };
  const figures: Figure[] = [];
  for (const alg of SIGNING_ALGORITHMS) {
    const key = await generateSigningKey(alg);
    const signers = new Map<string, Signer>();
    for (const b of berichten) signers.set(b.verzender.oin, await createSigner({ privateJwk: key.privateJwk, oin: b.verzender.oin }));
    const signerOf = (b: (typeof berichten)[number]): Signer => signers.get(b.verzender.oin)!;
    const keys = jwksKeyResolver({ keys: [key.publicJwk] });
    const publicKey = await importVerificationKey(key.publicJwk, alg);

    const signed = await Promise.all(berichten.map((b) => signBericht(b, signerOf(b))));
    const canonical = berichten.map((b) => canonicalBericht(b));
    const payloads = canonical.map(encodePayload);
    const headers = signed.map((s) => decodeProtectedHeader(s.signatures[0]!.protected) as { alg: string });
    for (const s of signed) await verifyBericht(s, { keys }); // every figure measures a path that succeeds

    let i = 0;
    const next = (): number => (i = (i + 1) % berichten.length);
    figures.push(
      await compare(
        `${alg} sign (canonicalise + JWS) vs bare jose sign`,
        { label: 'signBericht(bericht)', op: () => { const n = next(); return signBericht(berichten[n]!, signerOf(berichten[n]!)); } },
        { label: 'FlattenedSign(canonical bytes).sign', op: () => { const n = next(); return new FlattenedSign(canonical[n]!).setProtectedHeader(headers[n]!).sign(signerOf(berichten[n]!).key, { crit }); } },
        options,
      ),
      await compare(
        `${alg} verify (canonicalise + checks + JWS) vs bare jose verify`,
        { label: 'verifyBericht(signed)', op: () => verifyBericht(signed[next()]!, { keys }) },
        {
          label: 'flattenedVerify(jws, payload)',
          op: () => {
            const n = next();
            return flattenedVerify({ ...signed[n]!.signatures[0]!, payload: payloads[n]! }, publicKey, { algorithms: [alg], crit });
          },
        },
        { ...options, target: 0.7 },
      ),
    );
  }
  return figures;
}
