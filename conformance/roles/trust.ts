/**
 * Cases for the time rules and duplicate member names (issue 16; spec/v1/time-and-keys.md), for the roles
 * where they apply. A receiving gemeente judges a delivered bericht at its countersignature's `rcv` and reads
 * JSON strictly; a gateway judges at its own clock at receipt and reads JSON strictly. Each bericht is made so
 * that a lax reader or a judge at the signer's `iat` would take it: the duplicate comes first (JSON.parse
 * keeps the last, which is what was signed), the iat is the signer's own claim.
 *
 * The gemeente cases deliver as the gateway does (spec §7.1): a JWE to a system with a current encryption
 * key, or into the postbus (`--mode postbus`), where CNF-136 cannot apply (a page is JSON the gateway writes).
 * Keys revoked or not yet valid at `rcv` are the receiving cases' (receiving.ts, CNF-118..123). The builders (a
 * duplicate first, alg named twice, an iat of the signer's choosing) serve role vt's endpoint too (vt-input.ts).
 */
import { randomUUID } from 'node:crypto';
import { countersignBericht } from '../../src/signing/countersign.js';
import { canonicalBericht } from '../../src/signing/canonical.js';
import { SIGNATURE_TYP } from '../../src/signing/header.js';
import { signBytes } from '../../src/signing/jws-crypto.js';
import { signBericht } from '../../src/signing/sign.js';
import type { Signer } from '../../src/signing/signer.js';
import { skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { RunIdentities, validExample } from '../fixtures.js';
import { postBericht, type Response } from '../http.js';
import { caseId, ruleCaseId } from '../ids.js';
import type { SuiteNetwork } from '../network.js';
import type { GatewayContext } from './gateway.js';
import { addressedToSut, deliver, type GemeenteContext } from './gemeente.js';
import { judgeRefusal, note, refusedAndNotAcknowledged } from './shared.js';

type Json = Record<string, unknown> & { berichtId: string; verzender: { oin: string } };

const DAY = 86_400_000;

/** The JSON text of `bericht` with `raw` (e.g. `"berichtId":"…",`) right after its opening brace: a duplicate a lax reader drops. */
export const withFirst = (bericht: object, raw: string): string => `{${raw}${JSON.stringify(bericht).slice(1)}`;

/** A sender's signature whose protected header names alg twice, `none` first: a first-wins reader takes it as unsigned. */
export async function doubleAlg(bericht: Json, sender: Signer): Promise<Json> {
  const header = `{"alg":"none","alg":"${sender.alg}","typ":"${SIGNATURE_TYP.bericht}","kid":"${sender.kid}","iat":${Math.floor(Date.now() / 1000)},"oin":"${sender.oin}","crit":["oin"]}`;
  const encoded = Buffer.from(header).toString('base64url');
  // RFC 7515 §5.1: the signature covers the encoded header as written, duplicate included.
  const signature = await signBytes(sender.alg, sender.key, Buffer.from(`${encoded}.${Buffer.from(canonicalBericht(bericht)).toString('base64url')}`));
  return { ...bericht, signatures: [{ protected: encoded, signature: signature.toString('base64url') }] };
}

/** What each case delivers: a text (a duplicate the model cannot hold) or a bericht. */
type Delivery = { readonly text: string; readonly berichtId: string } | { readonly json: Json };

// ---- role gemeente: what the gateway delivers, judged at the countersignature's rcv ----

/**
 * Delivers as the gateway does (spec §7.1, ENC-003): pushed as JSON, or as a JWE to a system with a current
 * encryption key, or put in the postbus. A text with a duplicate member cannot be in a postbus page: the
 * gateway serialises the page itself from what it stored, so that case pushes only.
 */
const deliverToSut = (context: GemeenteContext, delivery: Delivery, evidence: Exchange[]): Promise<Response> =>
  'text' in delivery ? deliver(context, new TextEncoder().encode(delivery.text), evidence) : deliver(context, delivery.json, evidence);

const gemeenteCase = (id: string, rule: string, title: string, make: (context: GemeenteContext, handover: Json, sender: Signer) => Promise<Delivery>, pushOnly = false): ConformanceCase<GemeenteContext> => ({
  id,
  title,
  rules: [rule],
  level: 'must',
  async run(context, evidence): Promise<Verdict> {
    if (pushOnly && context.postbus !== undefined) return skip('the system reads its postbus: a postbus page is JSON the gateway writes from what it stored, so it never names a member twice');
    const handover = addressedToSut(context, validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}, new RunIdentities());
    const delivery = await make(context, handover, await context.network.signer(handover.verzender.oin));
    const berichtId = 'text' in delivery ? delivery.berichtId : delivery.json.berichtId;
    return refusedAndNotAcknowledged(await deliverToSut(context, delivery, evidence), `a handover that breaks ${rule}`, context.peer, berichtId);
  },
});

/** Signed by `sender` at `iat` (its claim) and countersigned by the gateway at `rcv`: the moment a receiver judges at. */
export const signedAtCountersigned = async <T extends Json>(network: SuiteNetwork, bericht: T, sender: Signer, iat: Date, rcv: Date): Promise<T> =>
  countersignBericht(await signBericht(bericht, sender, { iat }), network.gateway, rcv, { iat: rcv });

/** The gemeente cases of issue 16. */
export function gemeenteTrustCases(): ConformanceCase<GemeenteContext>[] {
  return [
    gemeenteCase(caseId('gemeente', 36), 'BER-017', 'Refuses a signed, countersigned handover that names berichtId twice (the signed one last) and does not acknowledge it', async (context, handover, sender) => {
      const signed = await signedAtCountersigned(context.network, handover, sender, new Date(), new Date());
      return { text: withFirst(signed, `"berichtId":"${randomUUID()}",`), berichtId: handover.berichtId };
    }, true),
    gemeenteCase(ruleCaseId('gemeente', 'SIG-006') ?? '', 'SIG-006', "Refuses a handover whose sender's JWS header names alg twice (none, then the real one)", async (context, handover, sender) => ({
      json: await countersignBericht(await doubleAlg(handover, sender), context.network.gateway, new Date(), { iat: new Date() }),
    })),
    gemeenteCase(ruleCaseId('gemeente', 'SIG-007') ?? '', 'SIG-007', "Refuses a handover whose sender's iat lies a day after the countersignature's rcv (judged at rcv, not at iat)", async (context, handover, sender) => ({
      json: await signedAtCountersigned(context.network, handover, sender, new Date(Date.now() + DAY), new Date()),
    })),
    gemeenteCase(ruleCaseId('gemeente', 'SIG-008') ?? '', 'SIG-008', "Refuses a handover whose sender's iat lies 30 days before the countersignature's rcv", async (context, handover, sender) => ({
      json: await signedAtCountersigned(context.network, handover, sender, new Date(Date.now() - 30 * DAY), new Date()),
    })),
  ];
}

// ---- role gateway: what a sender submits, judged at the gateway's clock at receipt ----

async function submitToSut(context: GatewayContext, delivery: Delivery, oin: string, evidence: Exchange[]): Promise<Response> {
  const body = 'text' in delivery ? delivery.text : JSON.stringify(delivery.json);
  const response = await postBericht(`${context.url}/v1/berichten`, body, await context.network.signer(oin), context.gatewayOin);
  note(evidence, 'POST {target}/v1/berichten', response, 'json' in delivery ? delivery.json : undefined);
  return response;
}

const gatewayCase = (id: string, rule: string, title: string, make: (handover: Json, sender: Signer) => Promise<Delivery>): ConformanceCase<GatewayContext> => ({
  id,
  title,
  rules: [rule],
  level: 'must',
  async run(context, evidence): Promise<Verdict> {
    const handover = new RunIdentities().apply(validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}) as Json;
    const response = await submitToSut(context, await make(handover, await context.network.signer(handover.verzender.oin)), handover.verzender.oin, evidence);
    const verdict = judgeRefusal(response, `a bericht that breaks ${rule}`);
    if (verdict.outcome !== 'pass') return verdict;
    return { ...verdict, reason: `${verdict.reason}, ${response.rules.includes(rule) ? `naming ${rule}` : `naming ${response.rules.join(', ') || 'no rule'} rather than ${rule}`}` };
  },
});

/** The gateway cases of issue 16. */
export function gatewayTrustCases(): ConformanceCase<GatewayContext>[] {
  return [
    gatewayCase(caseId('gateway', 39), 'BER-017', 'Refuses a signed bericht that names berichtId twice (the signed one last)', async (handover, sender) => {
      const signed = await signBericht(handover, sender);
      return { text: withFirst(signed, `"berichtId":"${randomUUID()}",`), berichtId: handover.berichtId };
    }),
    gatewayCase(ruleCaseId('gateway', 'SIG-006') ?? '', 'SIG-006', "Refuses a bericht whose sender's JWS header names alg twice (none, then the real one)", async (handover, sender) => ({ json: await doubleAlg(handover, sender) })),
    gatewayCase(ruleCaseId('gateway', 'SIG-007') ?? '', 'SIG-007', "Refuses a bericht whose sender's iat lies ten years ahead of the gateway's clock", async (handover, sender) => ({
      json: await signBericht(handover, sender, { iat: new Date(Date.now() + 3650 * DAY) }),
    })),
    gatewayCase(ruleCaseId('gateway', 'SIG-008') ?? '', 'SIG-008', "Refuses a bericht whose sender's iat lies 30 days before the gateway's clock", async (handover, sender) => ({
      json: await signBericht(handover, sender, { iat: new Date(Date.now() - 30 * DAY) }),
    })),
  ];
}
