/**
 * `zicht audit`: export and verify the gateway's audit log (src/audit/), and check the store against it. A
 * thin layer over `exportBundle`, `verifyBundle`, `checkConsistency` and `checkStore`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditBundle, checkConsistency, COSIGNATURE_SKEW_SECONDS, verifyBundleReport, witnessFindings, type Finding, type IndexRange, type WitnessPolicy } from '../../audit/bundle.js';
import { parseCosignerKey, type CosignatureCheck } from '../../audit/cosignature.js';
import { checkPromise, monitorLog, type MonitorFinding } from '../../audit/monitor.js';
import { Transportbevestiging } from '../../model/transportbevestiging.js';
import { z } from 'zod';
import { openCheckpoint } from '../../audit/checkpoint.js';
import { checkStore } from '../../audit/check-store.js';
import { exportBundle, storeLogSource, type LogSource, type Selection } from '../../audit/export.js';
import { httpLogSource } from '../../audit/http-source.js';
import { deriveLogSigner, generateLogKey, loadLogSigner } from '../../audit/log-key.js';
import { parseVerifierKey, type NoteVerifier } from '../../audit/note-key.js';
import { describeTrustAnchor, resolveTrustAnchor, type TrustAnchor } from '../../audit/trust-anchor.js';
import { AuditError, IoError, UsageError } from '../../errors.js';
import { Oin } from '../../model/primitives.js';
import { createBearerToken } from '../../signing/bearer-token.js';
import { createSigner } from '../../signing/signer.js';
import { openExistingStore } from '../../store/existing.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command, type ExitCode, type Io } from '../command.js';
import { readFileOrFail, readJsonFile } from './sign.js';

/** How many entries `zicht audit verify` checks between two progress lines (bundles of at least this many). */
const PROGRESS_EVERY = 10_000;

const usage = `usage: zicht audit export --out FILE (--gateway URL --key JWK [--audience OIN] | --db URL (--gateway-key JWK | --log-key FILE))
                          [--dossier REF] [--from ISO --to ISO] [--checkpoint EARLIER]
       zicht audit verify BUNDLE (--key VKEY | --pin FILE [--trust-on-first-use]) [--checkpoint EARLIER]
       zicht audit verify --gateway URL --checkpoint EARLIER (--key VKEY | --pin FILE [--trust-on-first-use]) [--save FILE]
                          (both: [--witness WKEY ... [--quorum N]])
       zicht audit monitor --gateway URL --state FILE [--key VKEY] [--witness WKEY ... [--quorum N]]
                           [--receipt FILE ... --auth JWK]
       zicht audit prove --gateway URL --receipt FILE --auth JWK (--key VKEY | --pin FILE)
       zicht audit keygen --origin NAME --out FILE
       zicht audit check-store [--db URL]

export   writes a bundle: the entries with their inclusion proofs and the signed checkpoint they prove against.
         --gateway URL --key JWK   through the API, with bearer tokens made from the participant's private JWK
                                   (its "oin"); an auditor gets every entry, a participant those of its OIN.
                                   --audience is the gateway's OIN (default: from the log's origin).
         --db URL                  from the gateway's database (every entry); the log key is the gateway's
                                   (--gateway-key JWK, as zicht serve --key) or --log-key FILE.
         --dossier REF             only the entries of one dossier's berichten (with --db only: leaves hold no
                                   dossier reference)
         --from/--to ISO           only the entries with 'at' in [from, to)
         --checkpoint EARLIER      add the consistency proof from a checkpoint saved earlier
verify   checks the checkpoint's signature with the log key, every inclusion proof, and consistency with the
         earlier checkpoint (same size: same root). It rests on a key from outside the bundle (LOG-001):
         --key VKEY                the log's verifier key (name+keyid+base64, or a file holding one), as the
                                   gateway's operator gave it to you out of band
         --pin FILE                a key pinned earlier (a file holding one verifier key)
         --trust-on-first-use      with --pin FILE that does not exist yet: pin the key the bundle (or gateway)
                                   offers and rest this run on it; said so in the output
         Without one, nothing is verified (exit 2). The bundle's own key and its unsigned 'selection' decide
         nothing (LOG-002): the output gives the signed checkpoint's size and the indices verified; a bundle
         that holds fewer than all entries of the signed tree (a participant's view, a dossier, a time range)
         verifies only as PARTIAL (exit 3).
         Online (--gateway): the gateway's latest checkpoint against EARLIER; --save writes it for next time.
         --witness WKEY            a witness's cosignature/v1 key (name+keyid+base64(0x04 || key), or a file);
                                   repeatable. The checkpoint must carry valid cosignatures of --quorum N of
                                   them (default: all), else exit 1 (LOG-003): a checkpoint no witness saw may
                                   be a split view, shown to you and no one else.
monitor  for cron: the gateway's latest checkpoint against the one verified on the last run (kept in --state,
         with the log key: --key on the first run, pinned from then on; LOG-001): signature, consistency (a
         fork, a rewrite, a truncation), the witnesses' cosignatures (--witness, --quorum: LOG-003), and the
         inclusion promise of each --receipt (the 202 answer of POST /v1/berichten; --auth to read your
         entries: LOG-005). Exit 0 and the state advanced, or exit 1 with every ALERT and its evidence (the
         signed notes and proofs that contradict each other) and the state kept (LOG-006).
prove    checks a receipt's inclusion promise (LOG-005): kept (exit 0, the leaf's index and the checkpoint),
         pending before its deadline (exit 3), or broken: past the deadline and not in the log (exit 1, with
         the signed promise and checkpoint as evidence).
keygen   writes a new log key (PRIVATE+KEY+…, mode 0600) for zicht serve --log-key and prints its verifier key.
check-store
         compares the database's registry table (deelnemers) and events with the audit log's leaves: names
         every record or event changed, added or deleted with SQL past the store (no leaf written). --db as
         zicht serve (default ./zicht.db, or $DATABASE_URL). Prove the log itself with verify.

Exit: 0 verified (or written, or the store matches its log), 1 tampering or inconsistency found (each finding names the entry or the
checkpoints), 2 usage or I/O error or no trust anchor (nothing was judged), 3 verify: partial (what the bundle
holds verified, but not the whole log).
`;

function write(path: string, text: string, mode = 0o644, flag: 'w' | 'wx' = 'w'): void {
  try {
    writeFileSync(path, text, { mode, flag });
  } catch (error) {
    throw new IoError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

function date(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`${name} must be an ISO 8601 time`);
  return parsed;
}

function report(findings: readonly Finding[], io: Io, verified: string): ExitCode {
  if (findings.length === 0) {
    io.stdout(`${verified}\n`);
    return EXIT.ok;
  }
  for (const finding of findings) io.stdout(`TAMPERING ${finding.kind}${finding.index === undefined ? '' : ` [entry ${finding.index}]`}: ${finding.message}\n`);
  io.stdout(`${findings.length} finding(s): the log does not verify\n`);
  return EXIT.findings;
}

async function runExport(args: readonly string[], io: Io): Promise<ExitCode> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: [...args],
      options: {
        out: { type: 'string' }, gateway: { type: 'string' }, key: { type: 'string' }, audience: { type: 'string' }, db: { type: 'string' },
        'gateway-key': { type: 'string' }, 'log-key': { type: 'string' }, dossier: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, checkpoint: { type: 'string' },
      },
      strict: true,
    }),
  );
  if (values.out === undefined) throw new UsageError('--out FILE is required');
  if ((values.gateway === undefined) === (values.db === undefined)) throw new UsageError('give either --gateway URL or --db URL');
  if (values.dossier !== undefined && values.db === undefined) throw new UsageError('--dossier needs --db: leaves hold no dossier reference');
  const selection: Selection = {
    ...(values.dossier === undefined ? {} : { dossier: values.dossier }),
    ...(values.from === undefined ? {} : { from: date(values.from, '--from') }),
    ...(values.to === undefined ? {} : { to: date(values.to, '--to') }),
  };
  let close = (): Promise<void> => Promise.resolve();
  let source: LogSource;
  let trusted: NoteVerifier;
  if (values.db !== undefined) {
    const logKey =
      values['log-key'] !== undefined
        ? loadLogSigner(readFileOrFail(values['log-key']).toString('utf8'))
        : values['gateway-key'] !== undefined
          ? deriveLogSigner(await signerFromFile(values['gateway-key']))
          : undefined;
    if (logKey === undefined) throw new UsageError('with --db give --gateway-key JWK or --log-key FILE');
    const store = await openExistingStore(values.db);
    close = () => store.close();
    source = storeLogSource(store, logKey.vkey);
    trusted = logKey;
    if (values.dossier !== undefined) {
      const berichten = await store.listBerichtenByDossier(values.dossier);
      Object.assign(selection, { berichtIds: new Set(berichten.map((b) => b.berichtId)) });
    }
  } else {
    if (values.key === undefined) throw new UsageError('with --gateway give --key JWK (your private key, for bearer tokens)');
    const signer = await signerFromFile(values.key);
    const gateway = values.gateway ?? '';
    const publicSource = httpLogSource(gateway);
    trusted = parseVerifierKey(await publicSource.verifierKey());
    const audience = values.audience ?? /^zicht\.gateway\/(\d{20})$/.exec(trusted.name)?.[1];
    if (audience === undefined || !Oin.safeParse(audience).success) throw new UsageError('give --audience OIN (the gateway\'s OIN)');
    source = httpLogSource(gateway, { token: () => createBearerToken(signer, audience) });
  }
  try {
    const earlier = values.checkpoint === undefined ? undefined : openCheckpoint(readFileOrFail(values.checkpoint).toString('utf8'), [trusted]);
    const bundle = await exportBundle(source, selection, earlier);
    if (bundle === undefined) throw new IoError('the log has no checkpoint yet');
    write(values.out, `${JSON.stringify(bundle, null, 2)}\n`);
    io.stdout(`wrote ${bundle.entries.length} entries of a log of ${bundle.selection.end} to ${values.out}\n`);
    return EXIT.ok;
  } finally {
    await close();
  }
}

async function signerFromFile(file: string) {
  const jwk = readJsonFile(file);
  const oin = typeof jwk === 'object' && jwk !== null && 'oin' in jwk && typeof jwk.oin === 'string' ? jwk.oin : undefined;
  if (oin === undefined) throw new UsageError(`${file} names no OIN ("oin" member)`);
  return createSigner({ privateJwk: jwk, oin });
}

/** Ranges as `a-b` (inclusive) or `a`, at most `max` of them. */
function formatRanges(ranges: readonly IndexRange[], max = 20): string {
  const shown = ranges.slice(0, max).map((r) => (r.end - r.start === 1 ? `${r.start}` : `${r.start}-${r.end - 1}`));
  return ranges.length > max ? `${shown.join(', ')} and ${ranges.length - max} more range(s)` : shown.join(', ');
}

const count = (ranges: readonly IndexRange[]): number => ranges.reduce((n, r) => n + r.end - r.start, 0);

/** The trust anchor from --key, --pin and --trust-on-first-use (LOG-001); a first use writes the pin file. */
function anchorFrom(values: { key?: string | undefined; pin?: string | undefined; 'trust-on-first-use'?: boolean | undefined }, offered: string | undefined, io: Io, pinnedText?: string): TrustAnchor {
  if (values['trust-on-first-use'] === true && values.pin === undefined) throw new UsageError('--trust-on-first-use needs --pin FILE (where the key is pinned)');
  const key = values.key === undefined ? undefined : /^[^\s+]+\+[0-9a-f]{8}\+\S+$/.test(values.key) ? values.key : readFileOrFail(values.key).toString('utf8');
  const pinned = values.pin !== undefined && existsSync(values.pin) ? readFileOrFail(values.pin).toString('utf8') : pinnedText;
  let anchor: TrustAnchor;
  try {
    anchor = resolveTrustAnchor({ ...(key === undefined ? {} : { key }), ...(pinned === undefined ? {} : { pinned }), pinFile: values.pin !== undefined || pinnedText !== undefined, trustOnFirstUse: values['trust-on-first-use'] === true, ...(offered === undefined ? {} : { offered }) });
  } catch (error) {
    if (error instanceof AuditError && error.code === 'ZICHT_AUDIT_KEY_INVALID') throw new UsageError(`${key === undefined ? 'the offered key' : '--key'} is not a signed-note verifier key (name+keyid+base64)`);
    throw error;
  }
  if (anchor.pin !== undefined && values.pin !== undefined) write(values.pin, anchor.pin, 0o644, 'wx');
  io.stdout(`${describeTrustAnchor(anchor, values.pin)}\n`);
  return anchor;
}

/** The witness policy of --witness KEY (repeatable) and --quorum N (default: every witness given). */
function witnessPolicy(keys: readonly string[] | undefined, quorum: string | undefined): WitnessPolicy | undefined {
  if (keys === undefined || keys.length === 0) {
    if (quorum !== undefined) throw new UsageError('--quorum needs --witness KEY (one per witness)');
    return undefined;
  }
  const parsed = keys.map((value) => {
    const text = /^[^\s+]+\+[0-9a-f]{8}\+\S+$/.test(value) ? value : readFileOrFail(value).toString('utf8').trim();
    try {
      return parseCosignerKey(text);
    } catch {
      throw new UsageError('--witness is not a cosignature/v1 verifier key (name+keyid+base64(0x04 || key)), or a file holding one');
    }
  });
  const n = quorum === undefined ? parsed.length : Number(quorum);
  if (!Number.isInteger(n) || n < 1 || n > parsed.length) throw new UsageError(`--quorum must be 1 to ${parsed.length} (the number of --witness keys)`);
  return { keys: parsed, quorum: n, latest: BigInt(Math.floor(Date.now() / 1000)) + COSIGNATURE_SKEW_SECONDS };
}

function printCosignatures(checks: readonly CosignatureCheck[], io: Io): void {
  for (const c of checks) {
    const when = c.timestamp === undefined ? '' : ` at ${new Date(Number(c.timestamp) * 1000).toISOString()}`;
    io.stdout(`witness ${c.witness}: ${c.state === 'valid' ? `cosigned${when}` : c.state === 'invalid' ? 'INVALID cosignature' : 'no cosignature'}\n`);
  }
}

async function runVerify(args: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: [...args],
      options: {
        checkpoint: { type: 'string' }, key: { type: 'string' }, gateway: { type: 'string' }, save: { type: 'string' }, pin: { type: 'string' },
        'trust-on-first-use': { type: 'boolean' }, witness: { type: 'string', multiple: true }, quorum: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  const earlier = values.checkpoint === undefined ? undefined : readFileOrFail(values.checkpoint).toString('utf8');
  const witnesses = witnessPolicy(values.witness, values.quorum);
  if (values.gateway !== undefined) {
    if (positionals.length !== 0) throw new UsageError('give a bundle or --gateway, not both');
    if (earlier === undefined) throw new UsageError('--gateway needs --checkpoint EARLIER');
    const source = httpLogSource(values.gateway);
    const offered = values.key === undefined && values.pin !== undefined && !existsSync(values.pin) ? await source.verifierKey() : undefined;
    const trusted = anchorFrom(values, offered, io).verifier;
    const note = await source.checkpoint();
    if (note === undefined) throw new IoError('the gateway has no checkpoint yet');
    let latest;
    let previous;
    try {
      latest = openCheckpoint(note, [trusted]);
    } catch (error) {
      return report([{ kind: 'checkpoint-signature', message: `the gateway's checkpoint is not validly signed by the log key (${error instanceof AuditError ? error.code : 'unknown'})` }], io, '');
    }
    try {
      previous = openCheckpoint(earlier, [trusted], latest.origin);
    } catch (error) {
      return report([{ kind: 'earlier-checkpoint', message: `the earlier checkpoint is not validly signed by the log key for this origin (${error instanceof AuditError ? error.code : 'unknown'})` }], io, '');
    }
    const needsProof = previous.size > 0n && previous.size < latest.size;
    const proof = needsProof ? (await source.consistency(Number(previous.size), Number(latest.size))).map((h) => Buffer.from(h, 'base64')) : undefined;
    const witnessed = witnesses === undefined ? undefined : witnessFindings(note, witnesses);
    if (witnessed !== undefined) printCosignatures(witnessed.checks, io);
    const code = report([...(witnessed?.findings ?? []), ...checkConsistency(previous, latest, proof)], io, `verified: the log grew consistently from size ${previous.size} to ${latest.size}${witnesses === undefined ? '' : `, cosigned by ${witnesses.quorum} or more of ${witnesses.keys.length} witness(es)`}`);
    if (code === EXIT.ok && values.save !== undefined) write(values.save, note);
    return code;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('give one bundle file, or --gateway URL');
  const parsed = AuditBundle.safeParse(readJsonFile(positionals[0]));
  if (!parsed.success) throw new IoError(`${positionals[0]} is not an audit bundle`);
  const bundle = parsed.data;
  const anchor = anchorFrom(values, bundle.verifierKey, io);
  // Large bundles (an auditor's export of a year) show progress on stderr, every 10,000 entries.
  const progress = bundle.entries.length >= PROGRESS_EVERY ? { every: PROGRESS_EVERY, report: (checked: number, total: number) => { io.stderr(`verified ${checked} of ${total} entries\n`); } } : undefined;
  const result = verifyBundleReport(bundle, { trusted: [anchor.verifier], ...(earlier === undefined ? {} : { earlier }), ...(progress === undefined ? {} : { progress }), ...(witnesses === undefined ? {} : { witnesses }) });
  if (result.cosignatures !== undefined) printCosignatures(result.cosignatures, io);
  const size = result.checkpoint?.size ?? 0;
  const consistent = `${earlier === undefined ? '' : ', consistent with the earlier checkpoint'}${witnesses === undefined ? '' : `, cosigned by ${witnesses.quorum} or more of ${witnesses.keys.length} witness(es)`}`;
  if (result.findings.length > 0 || result.complete) {
    return report(result.findings, io, `verified: the whole log as of the signed checkpoint of size ${size}: entries ${size === 0 ? 'none (empty log)' : formatRanges(result.verified)} (${count(result.verified)} of ${size})${consistent}`);
  }
  io.stdout(
    `PARTIAL: verified ${count(result.verified)} of the ${size} entries of the signed checkpoint (indices ${count(result.verified) === 0 ? 'none' : formatRanges(result.verified)})${consistent}; ` +
      `not in the bundle: ${formatRanges(result.unverified)}. This is not a verification of the whole log (LOG-002; exit ${EXIT.partial})\n`,
  );
  return EXIT.partial;
}

const MonitorState = z.strictObject({ format: z.literal('zicht-monitor-state/1'), verifierKey: z.string(), checkpoint: z.string() });

/** A receipt file (the 202 body of POST /v1/berichten) with its inclusion promise. */
function promiseOf(file: string): string {
  const parsed = Transportbevestiging.safeParse(readJsonFile(file));
  if (!parsed.success) throw new IoError(`${file} is not a transport receipt (Transportbevestiging)`);
  if (parsed.data.logbelofte === undefined) throw new IoError(`${file} carries no inclusion promise (logbelofte)`);
  return parsed.data.logbelofte.belofte;
}

function printFindingsWithEvidence(findings: readonly MonitorFinding[], io: Io): void {
  for (const f of findings) {
    io.stdout(`ALERT ${f.kind}: ${f.message}\n`);
    for (const [name, value] of Object.entries(f.evidence ?? {})) {
      const text = typeof value === 'string' ? value : value.join('\n');
      io.stdout(`  evidence ${name}:\n${text.replace(/\n$/, '').split('\n').map((line) => `    ${line}`).join('\n')}\n`);
    }
  }
}

async function runMonitor(args: readonly string[], io: Io): Promise<ExitCode> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: [...args],
      options: { gateway: { type: 'string' }, state: { type: 'string' }, key: { type: 'string' }, witness: { type: 'string', multiple: true }, quorum: { type: 'string' }, receipt: { type: 'string', multiple: true }, auth: { type: 'string' } },
      strict: true,
    }),
  );
  if (values.gateway === undefined || values.state === undefined) throw new UsageError('--gateway URL and --state FILE are required');
  if (values.receipt !== undefined && values.auth === undefined) throw new UsageError('--receipt needs --auth JWK (your private key, to read your entries of the log)');
  const witnesses = witnessPolicy(values.witness, values.quorum);
  let state: z.infer<typeof MonitorState> | undefined;
  if (existsSync(values.state)) {
    const parsed = MonitorState.safeParse(readJsonFile(values.state));
    if (!parsed.success) throw new IoError(`${values.state} is not a monitor state file (zicht-monitor-state/1)`);
    state = parsed.data;
  }
  // LOG-001: the key from --key on the first run, pinned in the state file from then on.
  const anchor = anchorFrom({ ...(values.key === undefined ? {} : { key: values.key }) }, undefined, io, state?.verifierKey);
  const gateway = values.gateway;
  const source = httpLogSource(gateway);
  const note = await source.checkpoint();
  if (note === undefined) throw new IoError('the gateway has no checkpoint yet');
  const auth = values.auth === undefined ? undefined : await signerFromFile(values.auth);
  const audience = /^zicht\.gateway\/(\d{20})$/.exec(anchor.verifier.name)?.[1] ?? '';
  const promises = (values.receipt ?? []).map((file) => ({
    name: file,
    note: promiseOf(file),
    source: httpLogSource(gateway, { token: () => (auth === undefined ? Promise.reject(new UsageError('--auth JWK is required')) : createBearerToken(auth, audience)) }),
  }));
  const run = await monitorLog({
    note,
    ...(state === undefined ? {} : { previous: state.checkpoint }),
    trusted: anchor.verifier,
    ...(witnesses === undefined ? {} : { witnesses }),
    proof: (from, to) => source.consistency(from, to),
    promises,
    now: new Date(),
  });
  if (run.cosignatures !== undefined) printCosignatures(run.cosignatures, io);
  for (const p of run.promises) {
    const o = p.outcome;
    if (o?.state === 'kept') io.stdout(`promise ${p.name}: kept, leaf ${o.index} in the checkpoint of size ${o.size}\n`);
    if (o?.state === 'pending') io.stdout(`promise ${p.name}: pending, due by ${o.deadline.toISOString()}\n`);
  }
  if (run.findings.length > 0) {
    printFindingsWithEvidence(run.findings, io);
    io.stdout(`${run.findings.length} alert(s): the state file keeps the last checkpoint verified; keep this output as evidence\n`);
    return EXIT.findings;
  }
  const size = run.latest?.size ?? 0n;
  write(values.state, `${JSON.stringify({ format: 'zicht-monitor-state/1', verifierKey: anchor.verifier.vkey, checkpoint: note }, null, 1)}\n`, 0o600);
  io.stdout(`ok: the checkpoint of size ${size}${state === undefined ? ' (first run: kept as the base of the next)' : ', consistent with the one verified before'}${witnesses === undefined ? '' : `, cosigned by ${witnesses.quorum} or more of ${witnesses.keys.length} witness(es)`}\n`);
  return EXIT.ok;
}

async function runProve(args: readonly string[], io: Io): Promise<ExitCode> {
  const { values } = withUsageErrors(() =>
    parseArgs({ args: [...args], options: { gateway: { type: 'string' }, receipt: { type: 'string' }, auth: { type: 'string' }, key: { type: 'string' }, pin: { type: 'string' } }, strict: true }),
  );
  if (values.gateway === undefined || values.receipt === undefined || values.auth === undefined) throw new UsageError('--gateway URL, --receipt FILE and --auth JWK are required');
  const anchor = anchorFrom(values, undefined, io);
  const note = promiseOf(values.receipt);
  const auth = await signerFromFile(values.auth);
  const audience = /^zicht\.gateway\/(\d{20})$/.exec(anchor.verifier.name)?.[1] ?? '';
  const source = httpLogSource(values.gateway, { token: () => createBearerToken(auth, audience) });
  let outcome;
  try {
    outcome = await checkPromise(note, source, anchor.verifier, new Date());
  } catch (error) {
    return report([{ kind: 'checkpoint-signature', message: `the promise or the log's checkpoint is not signed by the log key, or the leaf's proof fails (${error instanceof AuditError ? error.code : 'unknown'})` }], io, '');
  }
  switch (outcome.state) {
    case 'kept':
      io.stdout(`kept: the promised leaf is entry ${outcome.index} of the log, proven against the signed checkpoint of size ${outcome.size}\n`);
      return EXIT.ok;
    case 'pending':
      io.stdout(`PENDING: the promised leaf is not in the signed checkpoint of size ${outcome.size} yet; it is due by ${outcome.deadline.toISOString()}\n`);
      return EXIT.partial;
    case 'broken':
      printFindingsWithEvidence([{ kind: 'promise-broken', message: `the leaf promised for inclusion by ${outcome.deadline.toISOString()} is not in the log's checkpoint of size ${outcome.size} (LOG-005)`, evidence: { promise: note, checkpoint: outcome.checkpoint } }], io);
      return EXIT.findings;
  }
}

async function runCheckStore(args: readonly string[], io: Io): Promise<ExitCode> {
  const { values } = withUsageErrors(() => parseArgs({ args: [...args], options: { db: { type: 'string' } }, strict: true }));
  const store = await openExistingStore(values.db ?? process.env.DATABASE_URL);
  try {
    const check = await checkStore(store);
    for (const finding of check.findings) io.stdout(`TAMPERING ${finding.kind}: ${finding.message}\n`);
    if (check.findings.length > 0) {
      io.stdout(`${check.findings.length} finding(s): the store does not match its audit log\n`);
      return EXIT.findings;
    }
    io.stdout(`matches the audit log: ${check.participants} participant record(s) and ${check.events} event(s) against ${check.leaves} leaves\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function runKeygen(args: readonly string[], io: Io): ExitCode {
  const { values } = withUsageErrors(() => parseArgs({ args: [...args], options: { origin: { type: 'string' }, out: { type: 'string' } }, strict: true }));
  if (values.origin === undefined || values.out === undefined) throw new UsageError('--origin NAME and --out FILE are required');
  let key: string;
  try {
    key = generateLogKey(values.origin);
  } catch {
    throw new UsageError('--origin must be non-empty, without spaces or "+"');
  }
  write(values.out, `${key}\n`, 0o600, 'wx');
  io.stdout(`${loadLogSigner(key).vkey}\n`);
  return EXIT.ok;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'export and verify the audit log (transparency log with signed checkpoints)',
  usage,
  async run(args, io) {
    const [sub = '', ...rest] = args;
    switch (sub) {
      case 'export':
        return runExport(rest, io);
      case 'verify':
        return runVerify(rest, io);
      case 'keygen':
        return runKeygen(rest, io);
      case 'check-store':
        return runCheckStore(rest, io);
      case 'monitor':
        return runMonitor(rest, io);
      case 'prove':
        return runProve(rest, io);
      default:
        throw new UsageError("the audit subcommands are 'export', 'verify', 'monitor', 'prove', 'keygen' and 'check-store'");
    }
  },
};
