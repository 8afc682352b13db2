/**
 * What the roles share: judging a refusal, finding receipts the system under test sent, and
 * choosing the invalid examples a role can send.
 */
import { MAX_BERICHT_BYTES } from '../../src/rules/bericht.js';
import { fail, pass, type Exchange, type Verdict } from '../case.js';
import type { ExampleFile } from '../fixtures.js';
import { isNotNow, isRefusal, isSuccess, type Response } from '../http.js';
import type { Answer, Inbound, Peer } from '../peer.js';

/** The parsed JSON of an inbound bericht, or undefined. */
export const berichtOf = (inbound: Inbound): Record<string, unknown> | undefined =>
  typeof inbound.json === 'object' && inbound.json !== null && !Array.isArray(inbound.json) ? (inbound.json as Record<string, unknown>) : undefined;

/** Receipts (ontvangstbevestigingen) the system sent to the suite as gateway that answer `berichtId`. */
export function receiptsFor(peer: Peer, berichtId: string): Inbound[] {
  return peer.inbound.filter((i) => {
    const b = berichtOf(i);
    return i.to === 'gateway' && b?.berichtType === 'ontvangstbevestiging' && typeof b.inAntwoordOp === 'string' && b.inAntwoordOp.toLowerCase() === berichtId.toLowerCase();
  });
}

/** Records an exchange as evidence. */
export function note(evidence: Exchange[], request: string, response: Response, body?: unknown): void {
  evidence.push({ direction: 'sent', request, status: response.status, ...(body === undefined ? {} : { body }), ...(response.rules.length > 0 ? { rules: response.rules } : {}) });
}

/** How a system answered what it must refuse. */
export function judgeRefusal(response: Response, what: string): Verdict {
  if (response.status === 0) return { outcome: 'error', reason: `no HTTP answer (${response.code ?? 'network error'})` };
  if (isSuccess(response.status)) return fail(`${what} was accepted (HTTP ${response.status}); it must be refused`);
  if (isNotNow(response.status)) return fail(`${what} got HTTP ${response.status} to every delivery within --timeout: "cannot decide now" is not a refusal (the gateway delivers it again for days)`);
  if (!isRefusal(response.status)) return fail(`${what} got HTTP ${response.status}: a server error is not a refusal (a gateway retries it for days)`);
  return pass(`${what} was refused (HTTP ${response.status})`);
}

/**
 * A refusal that must also not be acknowledged: the verdict now, and a settle check that no receipt
 * answering `berichtId` arrived by the end of the run.
 */
export function refusedAndNotAcknowledged(response: Response, what: string, peer: Peer, berichtId: string | undefined): Verdict {
  const now = judgeRefusal(response, what);
  if (now.outcome !== 'pass' || berichtId === undefined) return now;
  return {
    ...now,
    settle: () => (receiptsFor(peer, berichtId).length > 0 ? fail(`${what} was refused, but an ontvangstbevestiging for it was sent anyway`) : pass(`${now.reason}, and no ontvangstbevestiging was sent for it`)),
  };
}

/** An example that is no bericht (not JSON, or JSON without a sender): input a receiver refuses before it reads a type (BER-001, BER-003). */
export const isNoBericht = (example: ExampleFile): boolean => !example.json || typeof example.json.verzender !== 'object';

/** The invalid examples of the given bericht types (and those that are no bericht at all). */
export function invalidExamplesOf(all: readonly ExampleFile[], types: readonly string[]): ExampleFile[] {
  return all.filter((e) => e.rule !== undefined && (e.json?.berichtType === undefined || (typeof e.json.berichtType === 'string' && types.includes(e.json.berichtType))));
}

/**
 * A bericht past the size limit (BER-002) that breaks nothing else: its JSON with insignificant
 * whitespace after the opening brace, so that it is one valid JSON text whose signatures (over the
 * canonical form) still verify, only larger than 1,048,576 bytes.
 */
export function paddedPastLimit(bericht: unknown): Uint8Array {
  const text = JSON.stringify(bericht);
  const padding = MAX_BERICHT_BYTES + 1024 - Buffer.byteLength(text);
  return Buffer.from(`{${' '.repeat(Math.max(padding, 1))}${text.slice(1)}`, 'utf8');
}

/**
 * A problem+json answer of the suite as gateway, in the form of openapi.json's `Problem` (type, title, status,
 * detail, issues), with the rule ids; a 422 names at least one (README §7: "issues lists them").
 */
export const problemAnswer = (status: number, title: string, rules: readonly string[] = []): Answer => {
  if (status === 422 && rules.length === 0) throw new Error('a 422 of the suite names the rules it refuses by');
  return {
    status,
    body: { type: 'about:blank', title, status, detail: title, issues: rules.map((rule) => ({ rule, severity: 'error', path: '$', message: 'See the rule.' })) },
  };
};

/** The suite as gateway refuses a request without a valid bearer token. */
export const tokenProblem = (): Answer => problemAnswer(401, 'No valid token.');
