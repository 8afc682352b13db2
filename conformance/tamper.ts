/**
 * Wrongly signed berichten, one per way a signature can be wrong (SIG-001..005). Each takes a
 * correctly signed and countersigned bericht and breaks exactly one thing.
 */
import { generateSigningKey } from '../src/signing/generate.js';
import { canonicalBericht } from '../src/signing/canonical.js';
import { signDetached, type DetachedJws } from '../src/signing/detached.js';
import { countersignBericht } from '../src/signing/countersign.js';
import { signBericht } from '../src/signing/sign.js';
import { createSigner, type Signer } from '../src/signing/signer.js';
import { SIGNATURE_TYP } from '../src/signing/header.js';

type Unsigned = Record<string, unknown> & { verzender: { oin: string } };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The ways to break a signature, with the rule each breaks. */
export const SIGNATURE_DEFECTS = {
  /** No signature at all (no signatures member). */
  unsigned: 'SIG-001',
  /** The sender's signature, but no gateway countersignature. */
  'no-countersignature': 'SIG-001',
  /** The protected header says HS256 (a symmetric algorithm). */
  'alg-hs256': 'SIG-002',
  /** Signed with a key that is registered for nobody. */
  'unknown-key': 'SIG-003',
  /** The sender's signature names (and is made with the key of) another participant than verzender. */
  'other-signer': 'SIG-004',
  /** The countersignature is made by a participant without the gateway role. */
  'countersigned-by-non-gateway': 'SIG-004',
  /** The content changed after signing. */
  'content-changed': 'SIG-005',
} as const;

export type SignatureDefect = keyof typeof SIGNATURE_DEFECTS;

/** What tampering needs: the suite's signers. */
export interface Signers {
  signer(oin: string): Promise<Signer>;
  readonly gateway: Signer;
}

/**
 * Signs as the sender, countersigns as the gateway (unless `countersign` is false: what a sender
 * submits to a gateway), and applies `defect`.
 */
export async function signWithDefect(bericht: Unsigned, signers: Signers, defect: SignatureDefect, otherOin: string, countersign = true): Promise<Record<string, unknown>> {
  const sender = await signers.signer(bericht.verzender.oin);
  const received = new Date();
  const countersigned = async <T extends object>(b: T): Promise<T> => (countersign ? countersignBericht(b, signers.gateway, received) : b);
  const good = async (b: Unsigned) => countersigned(await signBericht(b, sender));
  switch (defect) {
    case 'unsigned': {
      const unsigned: Record<string, unknown> = { ...bericht };
      delete unsigned.signatures;
      return unsigned;
    }
    case 'no-countersignature':
      return signBericht(bericht, sender);
    case 'alg-hs256': {
      const header = { alg: 'HS256', typ: SIGNATURE_TYP.bericht, kid: sender.kid, iat: Math.floor(Date.now() / 1000), oin: sender.oin, crit: ['oin'] };
      const forged: DetachedJws = { protected: b64(header), signature: Buffer.alloc(32, 7).toString('base64url') };
      return countersigned({ ...bericht, signatures: [forged] });
    }
    case 'unknown-key': {
      const stranger = await createSigner({ privateJwk: (await generateSigningKey('ES256')).privateJwk, oin: sender.oin });
      return countersigned(await signBericht(bericht, stranger));
    }
    case 'other-signer': {
      const other = await signers.signer(otherOin);
      const header = { alg: other.alg, typ: SIGNATURE_TYP.bericht, kid: other.kid, iat: Math.floor(Date.now() / 1000), oin: other.oin, crit: ['oin'] };
      const signature = await signDetached(canonicalBericht(bericht), header, other.key);
      return countersigned({ ...bericht, signatures: [signature] });
    }
    case 'countersigned-by-non-gateway':
      return countersignBericht(await signBericht(bericht, sender), await signers.signer(otherOin), received);
    case 'content-changed': {
      const signed = await good(bericht);
      return { ...signed, verzondenOp: new Date(Date.parse(String(bericht.verzondenOp)) + 1000).toISOString() };
    }
  }
}
