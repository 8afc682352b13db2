/**
 * `zicht audit`: export and verify the gateway's audit log (src/audit/), and check the store against it. A
 * thin layer over `exportBundle`, `verifyBundle`, `checkConsistency` and `checkStore`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditBundle, checkConsistency, verifyBundle, type Finding } from '../../audit/bundle.js';

import { openCheckpoint } from '../../audit/checkpoint.js';
import { checkStore } from '../../audit/check-store.js';
import { exportBundle, storeLogSource, type LogSource, type Selection } from '../../audit/export.js';
import { httpLogSource } from '../../audit/http-source.js';
import { deriveLogSigner, generateLogKey, loadLogSigner } from '../../audit/log-key.js';
import { parseVerifierKey, type NoteVerifier } from '../../audit/note-key.js';
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
       zicht audit verify BUNDLE [--checkpoint EARLIER] [--key VKEY]
       zicht audit verify --gateway URL --checkpoint EARLIER [--key VKEY] [--save FILE]
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
verify   checks the checkpoint's signature with the log key (--key: a verifier key or a file holding one;
         default: the key in the bundle, as the gateway published it at export), every inclusion proof, that a
         complete export misses no entry, and consistency with the earlier checkpoint (same size: same root).
         Online (--gateway): the gateway's latest checkpoint against EARLIER; --save writes it for next time.
keygen   writes a new log key (PRIVATE+KEY+…, mode 0600) for zicht serve --log-key and prints its verifier key.
check-store
         compares the database's registry table (deelnemers) and events with the audit log's leaves: names
         every record or event changed, added or deleted with SQL past the store (no leaf written). --db as
         zicht serve (default ./zicht.db, or $DATABASE_URL). Prove the log itself with verify.

Exit: 0 verified (or written, or the store matches its log), 1 tampering or inconsistency found (each finding names the entry or the
checkpoints), 2 usage or I/O error.
`;

function write(path: string, text: string, mode = 0o644, flag: 'w' | 'wx' = 'w'): void {
  try {
    writeFileSync(path, text, { mode, flag });
  } catch (error) {
    throw new IoError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

/** A verifier key given inline (`name+id+base64`) or as a file holding one. */
function trustedKey(value: string): NoteVerifier {
  const text = /^[^\s+]+\+[0-9a-f]{8}\+\S+$/.test(value) ? value : readFileOrFail(value).toString('utf8').trim();
  try {
    return parseVerifierKey(text);
  } catch (error) {
    if (error instanceof AuditError) throw new UsageError('--key is not a signed-note verifier key (name+keyid+base64)');
    throw error;
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

async function runVerify(args: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({ args: [...args], options: { checkpoint: { type: 'string' }, key: { type: 'string' }, gateway: { type: 'string' }, save: { type: 'string' } }, allowPositionals: true, strict: true }),
  );
  const earlier = values.checkpoint === undefined ? undefined : readFileOrFail(values.checkpoint).toString('utf8');
  if (values.gateway !== undefined) {
    if (positionals.length !== 0) throw new UsageError('give a bundle or --gateway, not both');
    if (earlier === undefined) throw new UsageError('--gateway needs --checkpoint EARLIER');
    const source = httpLogSource(values.gateway);
    const trusted = values.key === undefined ? parseVerifierKey(await source.verifierKey()) : trustedKey(values.key);
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
    const code = report(checkConsistency(previous, latest, proof), io, `verified: the log grew consistently from size ${previous.size} to ${latest.size}`);
    if (code === EXIT.ok && values.save !== undefined) write(values.save, note);
    return code;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('give one bundle file, or --gateway URL');
  const parsed = AuditBundle.safeParse(readJsonFile(positionals[0]));
  if (!parsed.success) throw new IoError(`${positionals[0]} is not an audit bundle`);
  const bundle = parsed.data;
  let trusted: NoteVerifier;
  if (values.key !== undefined) trusted = trustedKey(values.key);
  else {
    try {
      trusted = parseVerifierKey(bundle.verifierKey);
    } catch {
      throw new IoError('the bundle holds no valid verifier key; give --key');
    }
    io.stderr('note: the log key was taken from the bundle; compare it with the one the gateway publishes (GET /v1/log/key), or pass --key\n');
  }
  // Large bundles (an auditor's export of a year) show progress on stderr, every 10,000 entries.
  const progress = bundle.entries.length >= PROGRESS_EVERY ? { every: PROGRESS_EVERY, report: (checked: number, total: number) => { io.stderr(`verified ${checked} of ${total} entries\n`); } } : undefined;
  const findings = verifyBundle(bundle, { trusted: [trusted], ...(earlier === undefined ? {} : { earlier }), ...(progress === undefined ? {} : { progress }) });
  return report(findings, io, `verified: ${bundle.entries.length} entries against the checkpoint of size ${bundle.selection.end}${earlier === undefined ? '' : ', consistent with the earlier checkpoint'}`);
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
      default:
        throw new UsageError("the audit subcommands are 'export', 'verify', 'keygen' and 'check-store'");
    }
  },
};
