/**
 * Role gateway, the audit log's public interface (spec/v1/log.md): what a vendor's gateway owes the auditors
 * and participants who do not take its word. The checkpoint is a C2SP checkpoint signed by the published log
 * key and carries witnesses' cosignature/v1 lines (LOG-003); every transport receipt carries an inclusion
 * promise signed by the log key (LOG-005), and the promise is kept: the promised leaf appears in the sender's
 * view of the log with an inclusion proof against a signed checkpoint.
 *
 * The suite reads the log key from `GET /v1/log/key`: it checks the format and the consistency of what the
 * gateway signs, not that the key is the one its operator publishes out of band (an auditor's part, LOG-001).
 */
import { parseCheckpoint, openCheckpoint } from '../../src/audit/checkpoint.js';
import { leafHash, sameBytes } from '../../src/audit/hash.js';
import { parseVerifierKey, type NoteVerifier } from '../../src/audit/note-key.js';
import { parseNote } from '../../src/audit/note.js';
import { openPromise } from '../../src/audit/promise.js';
import { verifyInclusion } from '../../src/audit/verify.js';
import { Transportbevestiging } from '../../src/model/transportbevestiging.js';
import { signBericht } from '../../src/signing/sign.js';
import { fail, pass, type ConformanceCase, type Exchange, type Verdict } from '../case.js';
import { RunIdentities, validExample } from '../fixtures.js';
import { getJson, postBericht } from '../http.js';
import { caseId } from '../ids.js';
import type { GatewayContext } from './gateway.js';
import { note } from './shared.js';

/** The largest maximum merge delay a gateway may promise, in seconds (spec/v1/log.md LOG-005). */
const MAX_PROMISED_DELAY = 86_400;

async function logKeyOf(context: GatewayContext, evidence: Exchange[]): Promise<NoteVerifier | Verdict> {
  const key = await getJson(`${context.url}/v1/log/key`);
  evidence.push({ direction: 'received', request: 'GET {target}/v1/log/key', status: key.status });
  const text = (key.json as { verifierKey?: unknown } | undefined)?.verifierKey;
  if (key.status !== 200 || typeof text !== 'string') return fail(`GET /v1/log/key answered ${key.status} without a verifierKey`);
  try {
    return parseVerifierKey(text);
  } catch {
    return fail('GET /v1/log/key holds no signed-note verifier key (name+keyid+base64(0x01 || key))');
  }
}

async function checkpointText(context: GatewayContext, evidence: Exchange[]): Promise<string | undefined> {
  const response = await fetch(`${context.url}/v1/log/checkpoint`);
  evidence.push({ direction: 'received', request: 'GET {target}/v1/log/checkpoint', status: response.status });
  return response.ok ? response.text() : undefined;
}

/** Sends one valid handover as its sender and returns the 202's receipt, or a verdict. */
async function acceptedReceipt(context: GatewayContext, evidence: Exchange[]): Promise<{ receipt: Transportbevestiging; sender: string } | Verdict> {
  const unsigned = new RunIdentities().apply(validExample('overdracht-na-veiligheidsbeoordeling').json ?? {}) as { verzender: { oin: string } } & Record<string, unknown>;
  const signer = await context.network.signer(unsigned.verzender.oin);
  const json = await signBericht(unsigned, signer);
  const response = await postBericht(`${context.url}/v1/berichten`, JSON.stringify(json), signer, context.gatewayOin);
  note(evidence, 'POST {target}/v1/berichten', response, json);
  if (response.status !== 202) return fail(`a valid handover got HTTP ${response.status}, not 202`);
  const receipt = Transportbevestiging.safeParse(response.json);
  if (!receipt.success) return fail('the 202 body is not a transportbevestiging');
  return { receipt: receipt.data, sender: unsigned.verzender.oin };
}

const isVerdict = (value: unknown): value is Verdict => typeof value === 'object' && value !== null && 'outcome' in value;

/** The published log key and the promise of a fresh receipt, or a verdict. */
async function promiseOfFreshReceipt(context: GatewayContext, evidence: Exchange[]): Promise<{ key: NoteVerifier; receipt: Transportbevestiging; sender: string; belofte: NonNullable<Transportbevestiging['logbelofte']> } | Verdict> {
  const key = await logKeyOf(context, evidence);
  if (isVerdict(key)) return key;
  const accepted = await acceptedReceipt(context, evidence);
  if (isVerdict(accepted)) return accepted;
  const belofte = accepted.receipt.logbelofte;
  if (belofte === undefined) return fail('the transportbevestiging has no logbelofte (inclusion promise)');
  return { key, ...accepted, belofte };
}

/** The audit log cases of role gateway. */
export function gatewayLogCases(): ConformanceCase<GatewayContext>[] {
  return [
    {
      id: caseId('gateway', 36),
      title: 'Every transport receipt carries an inclusion promise signed by the log key, for the leaf it names, within at most a day (LOG-005)',
      rules: ['LOG-005'],
      level: 'must',
      async run(context, evidence) {
        const fresh = await promiseOfFreshReceipt(context, evidence);
        if (isVerdict(fresh)) return fresh;
        const { key, belofte, receipt } = fresh;
        try {
          const promise = openPromise(belofte.belofte, [key]);
          if (Buffer.from(promise.leafHash).toString('base64') !== belofte.bladhash) return fail('the signed promise names another leaf hash than bladhash');
          if (promise.maxMergeDelay !== belofte.maximaleVertraging || promise.maxMergeDelay > MAX_PROMISED_DELAY) return fail(`the promised delay is ${promise.maxMergeDelay} s: not the receipt's, or more than ${MAX_PROMISED_DELAY}`);
          const received = Math.floor(Date.parse(receipt.ontvangenOp) / 1000);
          if (Number(promise.at) !== received) return fail('the promise is dated otherwise than ontvangenOp');
        } catch (error) {
          return fail(`the logbelofte is not a zicht-inclusion-promise/v1 signed by the log key (${error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'})`);
        }
        return pass('the receipt\'s promise verifies with the log key and names its leaf, received-at and delay');
      },
    },
    {
      id: caseId('gateway', 37),
      title: 'Keeps its inclusion promise: the promised leaf appears in the sender\'s entries with an inclusion proof against a checkpoint signed by the log key (LOG-005)',
      rules: ['LOG-005'],
      level: 'must',
      async run(context, evidence) {
        const fresh = await promiseOfFreshReceipt(context, evidence);
        if (isVerdict(fresh)) return fresh;
        const { key } = fresh;
        const wanted = Buffer.from(fresh.belofte.bladhash, 'base64');
        const signer = await context.network.signer(fresh.sender);
        const deadline = Date.now() + context.timeoutMs;
        while (Date.now() < deadline) {
          const first = await getJson(`${context.url}/v1/log/entries?start=0&end=0`, signer, context.gatewayOin);
          const size = (first.json as { size?: unknown } | undefined)?.size;
          if (first.status === 200 && typeof size === 'number') {
            for (let start = Math.max(0, size - 1000); start < size; start += 1000) {
              const page = await getJson(`${context.url}/v1/log/entries?start=${start}&end=${Math.min(size, start + 1000)}`, signer, context.gatewayOin);
              const body = page.json as { checkpoint?: unknown; entries?: { index: number; leaf: string; proof: string[] }[] } | undefined;
              const entry = body?.entries?.find((e) => sameBytes(leafHash(Buffer.from(e.leaf, 'utf8')), wanted));
              if (entry === undefined || typeof body?.checkpoint !== 'string') continue;
              evidence.push({ direction: 'received', request: 'GET {target}/v1/log/entries', status: page.status });
              try {
                const checkpoint = openCheckpoint(body.checkpoint, [key]);
                verifyInclusion(BigInt(entry.index), checkpoint.size, wanted, entry.proof.map((p) => Buffer.from(p, 'base64')), checkpoint.root);
              } catch {
                return fail(`the promised leaf is entry ${entry.index}, but its proof does not verify against a checkpoint signed by the log key`);
              }
              return pass(`the promised leaf is entry ${entry.index}, proven against the signed checkpoint`);
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return fail(`the promised leaf is not in the sender's entries within ${context.timeoutMs} ms`);
      },
    },
    {
      id: caseId('gateway', 38),
      title: 'Serves its checkpoint with witnesses\' cosignatures: C2SP cosignature/v1 lines (key id, timestamp not in the future, 64-byte signature) (LOG-003)',
      rules: ['LOG-003'],
      level: 'should',
      async run(context, evidence) {
        const key = await logKeyOf(context, evidence);
        if (isVerdict(key)) return key;
        const deadline = Date.now() + context.timeoutMs;
        let last = 'no checkpoint';
        while (Date.now() < deadline) {
          const text = await checkpointText(context, evidence.length > 8 ? [] : evidence);
          if (text !== undefined) {
            try {
              const checkpoint = openCheckpoint(text, [key]);
              const cosignatures = parseNote(text).signatures.filter((s) => s.name !== checkpoint.origin && s.signature.length === 72);
              const now = BigInt(Math.floor(Date.now() / 1000)) + 300n;
              const timely = cosignatures.filter((s) => Buffer.from(s.signature).readBigUInt64BE(0) <= now);
              if (timely.length > 0) return pass(`the checkpoint of size ${parseCheckpoint(parseNote(text).text).size} carries ${timely.length} cosignature/v1 line(s) (${timely.map((s) => s.name).join(', ')})`);
              last = cosignatures.length > 0 ? 'cosignatures dated in the future' : 'no cosignature/v1 line';
            } catch {
              return fail('GET /v1/log/checkpoint is not a C2SP checkpoint signed by the published log key');
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return fail(`the checkpoint carries ${last}: configure at least one witness (C2SP tlog-witness)`);
      },
    },
  ];
}
