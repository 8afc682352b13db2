/**
 * Signing and verification throughput on the spec examples, for ES256, PS256 and EdDSA, each as a
 * ratio to a bare primitive on the same bytes in the same run, first bare jose (WebCrypto keys from
 * jose's importJWK), then bare node:crypto, the fastest primitive (Zicht signs with it since it left
 * WebCrypto, so the jose ratios may exceed 1):
 * - sign: signBericht (RFC 8785 canonicalisation + header + detached JWS) vs jose FlattenedSign of the
 *   already canonical bytes with the same header and key;
 * - verify: verifyBericht (envelope, canonicalisation, header checks, key lookup and validity, JWS)
 *   vs jose flattenedVerify of the same signature over the already encoded payload;
 * - the same two vs node:crypto `sign` / `verify` of the already built JWS signing input.
 * Target: the full verify path >= 0.7x bare jose verify.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { constants, sign, verify, type KeyObject } from 'node:crypto';
import { FlattenedSign, flattenedVerify, importJWK } from 'jose';
import { SIGNING_ALGORITHMS } from '../src/signing/algorithms.js';
import { canonicalBericht } from '../src/signing/canonical.js';
import { decodeProtectedHeader } from '../src/signing/header.js';
import { encodePayload } from '../src/signing/detached.js';
import { generateSigningKey } from '../src/signing/generate.js';
import { verificationKey } from '../src/signing/key-import.js';
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

/** node:crypto's arguments for a JWS algorithm (RFC 7518 §3.4, §3.5; RFC 8037 §3.1). */
function nodeArgs(alg: (typeof SIGNING_ALGORITHMS)[number], key: KeyObject) {
  switch (alg) {
    case 'ES256':
      return { digest: 'sha256', key: { key, dsaEncoding: 'ieee-p1363' as const } };
    case 'PS256':
      return { digest: 'sha256', key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } };
    case 'EdDSA':
      return { digest: null, key: { key } };
  }
}

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
    const josePrivateKey = await importJWK(key.privateJwk, alg);
    const josePublicKey = await importJWK(key.publicJwk, alg);
    const nodeSign = nodeArgs(alg, signers.values().next().value!.key);
    const nodeVerify = nodeArgs(alg, verificationKey(key.publicJwk, alg));

    const signed = await Promise.all(berichten.map((b) => signBericht(b, signerOf(b))));
    const canonical = berichten.map((b) => canonicalBericht(b));
    const payloads = canonical.map(encodePayload);
    const headers = signed.map((s) => decodeProtectedHeader(s.signatures[0]!.protected) as { alg: string });
    const inputs = signed.map((s, n) => Buffer.from(`${s.signatures[0]!.protected}.${payloads[n]!}`));
    const signatures = signed.map((s) => Buffer.from(s.signatures[0]!.signature, 'base64url'));
    for (const s of signed) await verifyBericht(s, { keys }); // every figure measures a path that succeeds
    for (const [n, input] of inputs.entries()) if (!verify(nodeVerify.digest, input, nodeVerify.key, signatures[n]!)) throw new Error('bare node:crypto does not verify');

    let i = 0;
    const next = (): number => (i = (i + 1) % berichten.length);
    figures.push(
      await compare(
        `${alg} sign (canonicalise + JWS) vs bare jose sign`,
        { label: 'signBericht(bericht)', op: () => { const n = next(); return signBericht(berichten[n]!, signerOf(berichten[n]!)); } },
        { label: 'FlattenedSign(canonical bytes).sign', op: () => { const n = next(); return new FlattenedSign(canonical[n]!).setProtectedHeader(headers[n]!).sign(josePrivateKey, { crit }); } },
        options,
      ),
      await compare(
        `${alg} verify (canonicalise + checks + JWS) vs bare jose verify`,
        { label: 'verifyBericht(signed)', op: () => verifyBericht(signed[next()]!, { keys }) },
        {
          label: 'flattenedVerify(jws, payload)',
          op: () => {
            const n = next();
            return flattenedVerify({ ...signed[n]!.signatures[0]!, payload: payloads[n]! }, josePublicKey, { algorithms: [alg], crit });
          },
        },
        { ...options, target: 0.7 },
      ),
      await compare(
        `${alg} sign (canonicalise + JWS) vs bare node:crypto sign`,
        { label: 'signBericht(bericht)', op: () => { const n = next(); return signBericht(berichten[n]!, signerOf(berichten[n]!)); } },
        { label: 'crypto.sign(signing input)', op: () => sign(nodeSign.digest, inputs[next()]!, nodeSign.key) },
        options,
      ),
      await compare(
        `${alg} verify (canonicalise + checks + JWS) vs bare node:crypto verify`,
        { label: 'verifyBericht(signed)', op: () => verifyBericht(signed[next()]!, { keys }) },
        { label: 'crypto.verify(signing input, signature)', op: () => { const n = next(); return verify(nodeVerify.digest, inputs[n]!, nodeVerify.key, signatures[n]!); } },
        options,
      ),
    );
  }
  return figures;
}
