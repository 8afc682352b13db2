/**
 * What every receiving system must check before it takes a push, whatever its role (a gemeente's
 * handovers, a VT's receipts): the gateway's push token, the validity window of the signer's key at
 * the time the gateway countersigned, that the key is the signer's own, and that nothing is taken
 * unverified when the key directory cannot be read (fail closed). The cases are made once here and
 * given to each receiving role with its own ids and its own way to push and judge.
 */
import { canonicalBericht } from '../../src/signing/canonical.js';
import { countersignBericht } from '../../src/signing/countersign.js';
import { signDetached } from '../../src/signing/detached.js';
import { SIGNATURE_TYP } from '../../src/signing/header.js';
import { signBericht } from '../../src/signing/sign.js';
import type { Signer } from '../../src/signing/signer.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { fail, pass, skip, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { isSuccess, type Response } from '../http.js';
import type { KeyWindow, SuiteNetwork } from '../network.js';
import type { Peer } from '../peer.js';
import { badPushToken, PUSH_TOKEN_DEFECTS, type PushTokenDefect } from '../push-token.js';
import { receiptsFor } from './shared.js';

/** An unsigned bericht the suite pushes. */
export type Unsigned = Record<string, unknown> & { verzender: { oin: string }; berichtId: string };

/** How a receiving role pushes and judges. */
export interface ReceivingSide<C> {
  readonly network: (context: C) => SuiteNetwork;
  readonly peer: (context: C) => Peer;
  /** The system's OIN (the audience of push tokens). */
  readonly oin: (context: C) => string;
  /** A fresh bericht the system must take (new berichtId), or why there is none. */
  readonly fresh: (context: C, evidence: Exchange[], caseId: string) => Promise<Unsigned | Verdict>;
  /** A fresh bericht from another sender than `fresh`'s, which the system must take too. */
  readonly fromOther: (context: C, evidence: Exchange[], caseId: string) => Promise<Unsigned | Verdict>;
  /** Whether the system reads its postbus (no pushes, so no push token; not acknowledging is its refusal). */
  readonly pull?: (context: C) => boolean;
  /**
   * Pushes as the gateway does, delivering again after a `503` or `429` within `--timeout` (the last answer);
   * `authorization` replaces the gateway's token (null: none).
   */
  readonly push: (context: C, body: Record<string, unknown>, evidence: Exchange[], authorization?: string | null) => Promise<Response>;
  /**
   * Delivers while the key directory is down, and returns the first answer: a push once (its `503` is what the case
   * judges); a system that reads its postbus gets the bericht there, and it waits until the system read it and read
   * again (or acknowledged it), leaving it there when not acknowledged: a bericht not taken for want of keys was not
   * refused and is checked again every round (receiver.md §10, Q105); `push` then waits for it again.
   */
  readonly hold: (context: C, body: Record<string, unknown>, evidence: Exchange[]) => Promise<Response>;
  /** A refusal, and (a system that acknowledges) no acknowledgement by the end of the run. */
  readonly refused: (context: C, response: Response, what: string, berichtId: string) => Verdict;
  /** A valid push taken (and, a system that acknowledges, acknowledged). */
  readonly taken: (context: C, body: Unsigned, response: Response, evidence: Exchange[], what: string) => Promise<Verdict>;
}

/** The case ids a role gives these cases. */
export interface ReceivingIds {
  readonly revoked: string;
  readonly expired: string;
  readonly notYetValid: string;
  readonly backdated: string;
  readonly othersKey: string;
  readonly token: Readonly<Record<PushTokenDefect | 'replayed', string>>;
  readonly directoryDown: string;
  readonly directoryRetry: string;
}

const NO_PUSH = 'the system reads its postbus: there is no push and no push token (its own token is checked when it reads)';

const isVerdict = (value: Unsigned | Verdict): value is Verdict => 'outcome' in value;

/** Signs as the sender with `signer` (at `iat`), countersigned by the gateway now. */
export async function signedWith(network: SuiteNetwork, bericht: Unsigned, signer: Signer, iat?: Date): Promise<Record<string, unknown>> {
  return countersignBericht(await signBericht(bericht, signer, iat === undefined ? {} : { iat }), network.gateway, new Date());
}

/** Signed as the sender (header oin and verzender) but with another participant's key (its kid). */
async function signedWithOthersKey(network: SuiteNetwork, bericht: Unsigned, other: Signer): Promise<Record<string, unknown>> {
  const header = { alg: other.alg, typ: SIGNATURE_TYP.bericht, kid: other.kid, iat: Math.floor(Date.now() / 1000), oin: bericht.verzender.oin, crit: ['oin'] };
  const signature = await signDetached(canonicalBericht(bericht), header, other.key);
  return countersignBericht({ ...bericht, signatures: [signature] }, network.gateway, new Date());
}

const WINDOW_TEXT: Readonly<Record<KeyWindow, string>> = {
  revoked: 'revoked before it signed',
  expired: 'expired before it signed',
  'not-yet-valid': 'not valid until tomorrow',
};

/** The cases, for a role with `side` and `ids`; `what` names the bericht (e.g. "a handover"). */
export function receivingCases<C>(side: ReceivingSide<C>, ids: ReceivingIds, what: string): ConformanceCase<C>[] {
  /**
   * Pushes a fresh valid bericht signed with a key its sender published just now (a rotation), while the key
   * directory answers 503 for the sender: no cache can hold that key (a receiver may cache a key set for 300
   * seconds, receiver.md §4), so the system must fetch the set and cannot.
   */
  const pushWhileDown = async (context: C, evidence: Exchange[], id: string): Promise<Verdict | { bericht: Unsigned; body: Record<string, unknown>; response: Response; receiptsWhileDown: number }> => {
    const bericht = await side.fresh(context, evidence, id);
    if (isVerdict(bericht)) return bericht;
    const network = side.network(context);
    const key = await network.rotated(bericht.verzender.oin);
    if (key === undefined) return skip('every party signs with the one tester key (--key): the suite cannot publish a key the system has not seen, and a system may verify with a key set it fetched less than 300 seconds ago (receiver.md §4)');
    const body = await signedWith(network, bericht, key);
    const peer = side.peer(context);
    peer.keyDirectoryDown.add(bericht.verzender.oin);
    try {
      const response = await side.hold(context, body, evidence);
      if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
      return { bericht, body, response, receiptsWhileDown: receiptsFor(peer, bericht.berichtId).length };
    } finally {
      peer.keyDirectoryDown.delete(bericht.verzender.oin);
    }
  };

  const windowCase = (id: string, window: KeyWindow): ConformanceCase<C> => ({
    id,
    title: `Refuses ${what} signed with a key of its sender that is ${WINDOW_TEXT[window]} (published so by the key directory)`,
    rules: ['SIG-003'],
    level: 'must',
    async run(context, evidence) {
      const bericht = await side.fresh(context, evidence, id);
      if (isVerdict(bericht)) return bericht;
      const key = side.network(context).windowed(bericht.verzender.oin, window);
      if (!key) return skip('every party signs with the one tester key (--key): the suite cannot publish keys with validity windows');
      const body = await signedWith(side.network(context), bericht, key.signer);
      return side.refused(context, await side.push(context, body, evidence), `${what} signed with a key ${WINDOW_TEXT[window]}`, bericht.berichtId);
    },
  });

  const tokenCase = (defect: PushTokenDefect): ConformanceCase<C> => ({
    id: ids.token[defect],
    title: `Refuses a push of ${what} with ${PUSH_TOKEN_DEFECTS[defect]}, and does not take it`,
    rules: ['AFL-002'],
    level: 'must',
    async run(context, evidence) {
      if (side.pull?.(context) === true) return skip(NO_PUSH);
      const bericht = await side.fresh(context, evidence, ids.token[defect]);
      if (isVerdict(bericht)) return bericht;
      const network = side.network(context);
      const body = await signedWith(network, bericht, await network.signer(bericht.verzender.oin));
      const response = await side.push(context, body, evidence, await badPushToken(network, side.oin(context), defect));
      return side.refused(context, response, `${what} pushed with ${PUSH_TOKEN_DEFECTS[defect]}`, bericht.berichtId);
    },
  });

  return [
    windowCase(ids.revoked, 'revoked'),
    windowCase(ids.expired, 'expired'),
    windowCase(ids.notYetValid, 'not-yet-valid'),
    {
      id: ids.backdated,
      title: `Refuses ${what} whose sender's key was revoked before the gateway countersigned it, though the signature's own iat is earlier (judged at the countersignature's time)`,
      rules: ['SIG-003'],
      level: 'must',
      async run(context, evidence) {
        const bericht = await side.fresh(context, evidence, ids.backdated);
        if (isVerdict(bericht)) return bericht;
        const key = side.network(context).windowed(bericht.verzender.oin, 'revoked');
        if (key?.revokedAt === undefined) return skip('every party signs with the one tester key (--key): the suite cannot publish a revoked key');
        const body = await signedWith(side.network(context), bericht, key.signer, new Date((key.revokedAt - 60) * 1000));
        return side.refused(context, await side.push(context, body, evidence), `${what} signed (by its iat) before its key was revoked but countersigned after`, bericht.berichtId);
      },
    },
    {
      id: ids.othersKey,
      title: `Refuses ${what} signed in its sender's name with the key of another registered participant`,
      rules: ['SIG-003', 'SIG-004'],
      level: 'must',
      async run(context, evidence) {
        const network = side.network(context);
        if (network.pinned) return skip('every party signs with the one tester key (--key): another participant\'s key is the sender\'s own');
        const first = await side.fromOther(context, evidence, ids.othersKey);
        if (isVerdict(first)) return first;
        const firstBody = await signedWith(network, first, await network.signer(first.verzender.oin));
        const taken = await side.taken(context, first, await side.push(context, firstBody, evidence), evidence, `a valid bericht of another sender (before the case's own)`);
        if (taken.outcome !== 'pass') return taken;
        const bericht = await side.fresh(context, evidence, ids.othersKey);
        if (isVerdict(bericht)) return bericht;
        const body = await signedWithOthersKey(network, bericht, await network.signer(first.verzender.oin));
        return side.refused(context, await side.push(context, body, evidence), `${what} signed with another participant's key`, bericht.berichtId);
      },
    },
    ...(['missing', 'bad-signature', 'wrong-audience', 'expired', 'not-gateway', 'long-lived'] as const).map(tokenCase),
    {
      id: ids.token.replayed,
      title: `Refuses a push of ${what} with a push token it took before (its jti used twice)`,
      rules: ['AFL-002'],
      level: 'must',
      async run(context, evidence) {
        if (side.pull?.(context) === true) return skip(NO_PUSH);
        const network = side.network(context);
        const token = `Bearer ${await createBearerToken(network.gateway, side.oin(context))}`;
        const first = await side.fresh(context, evidence, ids.token.replayed);
        if (isVerdict(first)) return first;
        const firstBody = await signedWith(network, first, await network.signer(first.verzender.oin));
        const taken = await side.taken(context, first, await side.push(context, firstBody, evidence, token), evidence, `${what} with a fresh push token`);
        if (taken.outcome !== 'pass') return taken;
        const second = await side.fresh(context, evidence, ids.token.replayed);
        if (isVerdict(second)) return second;
        const body = await signedWith(network, second, await network.signer(second.verzender.oin));
        return side.refused(context, await side.push(context, body, evidence, token), `${what} pushed with a push token used before`, second.berichtId);
      },
    },
    {
      id: ids.directoryDown,
      title: `While the key directory cannot serve the sender's keys, does not take ${what} signed with the sender's newly published key (one no cache holds): a push is answered 503, so that the gateway delivers it again (fails closed; a 4xx dead-letters it), a postbus entry is left unacknowledged`,
      rules: ['AFL-004', 'SIG-003'],
      level: 'must',
      async run(context, evidence) {
        const down = await pushWhileDown(context, evidence, ids.directoryDown);
        if ('outcome' in down) return down;
        const { bericht, response } = down;
        if (isSuccess(response.status)) return fail(`${what} was taken (HTTP ${response.status}) while its signature could not be checked: the system fails open`);
        if (side.pull?.(context) === true) {
          // A postbus reader has no status to answer: not acknowledging is all it can do. The bericht was not refused:
          // it stays in the postbus and is checked again every round (receiver.md §10, Q105), so taking it once the
          // directory is back is right. What is judged is the time the directory was down.
          if (down.receiptsWhileDown > 0) return fail(`an ontvangstbevestiging for ${what} was sent while the key directory was down: its signature could not be checked`);
          const after = await side.push(context, down.body, evidence);
          return pass(`not acknowledged, and no ontvangstbevestiging sent, while the key directory was down (it stayed in the postbus); once the directory was back it was ${isSuccess(after.status) ? 'taken and acknowledged, as receiver.md §10 asks' : 'not acknowledged yet (CNF-132 judges taking it)'}`);
        }
        if (response.status !== 503) return fail(`answered HTTP ${response.status} while the key directory was down; AFL-004 asks 503 (a 4xx is final: the gateway dead-letters a valid ${what.replace(/^an? /, '')})`);
        // Not taken: like a refusal, it must never be acknowledged either.
        const verdict = side.refused(context, { ...response, status: 400 }, what, bericht.berichtId);
        return verdict.outcome === 'pass' ? { ...verdict, reason: 'not taken (HTTP 503) while the key directory was down' } : verdict;
      },
    },
    {
      id: ids.directoryRetry,
      title: `Takes ${what} signed with the sender's newly published key, which it could not verify while the key directory was down, once it is delivered again after the directory is back`,
      rules: ['AFL-004'],
      level: 'must',
      async run(context, evidence) {
        const down = await pushWhileDown(context, evidence, ids.directoryRetry);
        if ('outcome' in down) return down;
        if (isSuccess(down.response.status)) return fail(`${what} was taken (HTTP ${down.response.status}) while its signature could not be checked`);
        return side.taken(context, down.bericht, await side.push(context, down.body, evidence), evidence, `${what}, delivered again after the key directory came back,`);
      },
    },
  ];
}

/** A pass when a response took a valid push (2xx), else why not. */
export function tookIt(response: Response, what: string): Verdict {
  if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
  return isSuccess(response.status) ? pass(`${what} was taken (HTTP ${response.status})`) : fail(`${what} was refused (HTTP ${response.status}); it is valid and correctly signed`);
}
