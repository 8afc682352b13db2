/**
 * `zicht dossier REF`: who is responsible for zicht op veiligheid in a dossier at an instant, and with
 * `--tijdlijn` its timeline and terms (issues 6, 17). From a gateway through its API
 * (GET /v1/dossiers/{ref}/verantwoordelijkheid and /tijdlijn, with a bearer token made from the caller's
 * key), from a gateway's database (dossierLedger; payloads encrypted at rest are read with the keyring),
 * or without the gateway from signed berichten files (`--trail`: signatures and countersignatures
 * verified, then the gateway's own evaluation). Metadata only: OINs, roles, times, bericht ids and the
 * profile rule with its source; never the berichten's content.
 */
import { parseArgs } from 'node:util';
import { parseVerifierKey } from '../../audit/note-key.js';
import { httpLogSource } from '../../audit/http-source.js';
import { IoError, UsageError } from '../../errors.js';
import { dossierLedger } from '../../lifecycle/dossier.js';
import type { Gebeurtenis, LedgerTermijn } from '../../lifecycle/ledger.js';
import { verantwoordelijkheid, verantwoordelijkheidTekst, type Verantwoordelijkheid } from '../../lifecycle/verantwoordelijkheid.js';
import { AuditBundle } from '../../audit/bundle.js';
import { evalueerTrail, toetsAanBundel, verifieerTrail } from '../../lifecycle/offline.js';
import { Dossier } from '../../model/bericht.js';
import { Oin, Tijdstip } from '../../model/primitives.js';
import { profielById, publishedProfielen } from '../../profiles/load.js';
import { loadRegistryFile } from '../../registry/file.js';
import { registryKeyResolver } from '../../registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../../registry/store-repository.js';
import { combineKeyResolvers, jwksKeyResolver, type KeyResolver } from '../../signing/key-resolver.js';
import { loadKeyring } from '../../store/keyring.js';
import { profielVoorDossier } from '../../lifecycle/dossier.js';
import type { Deelnemer } from '../../registry/deelnemer.js';
import { createBearerToken } from '../../signing/bearer-token.js';
import { createSigner } from '../../signing/signer.js';
import { openExistingStore } from '../../store/existing.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command, type ExitCode, type Io } from '../command.js';
import { readFileOrFail, readJsonFile } from './sign.js';
import { parseStrictJson } from '../../json/strict-json.js';

const usage = `usage: zicht dossier REF [--op TIMESTAMP] [--tijdlijn] [--json]
                    (--gateway URL --key JWK [--audience OIN]
                     | --db URL [--kek-file FILE]
                     | --trail FILE... (--registry FILE | --jwks FILE [--gateway-jwks FILE]) [--profile ID]
                       [--bundle FILE --log-key FILE])

Prints who is responsible for zicht op veiligheid in dossier REF at TIMESTAMP (default: now): the
participant (OIN, role), since when, the rule of the region profile with its source section, and the
berichten that make it so. Metadata only, never the berichten's content.

  --op TIMESTAMP   an RFC 3339 date-time with offset, not in the future
  --tijdlijn       also the timeline and the terms (receipt, first contact, monitoring, escalation answer)
                   with their deadlines: gehaald (met), open, gemist (missed), vervallen (the dossier closed)
  --json           the answer as JSON
  --gateway URL --key JWK   through the gateway's API with bearer tokens made from your private JWK (its
                   "oin"); only the dossier's participants and auditors may read it. --audience is the
                   gateway's OIN (default: from its audit log's origin).
  --db URL         from a gateway's database (a SQLite file or postgres://…) and the registry in it
  --kek-file FILE  with --db: the keyring of the payloads at rest, as 'zicht serve' takes it (default: the
                   file $ZICHT_KEK_FILE, else the keyring text in $ZICHT_KEK)
  --trail FILE...  without the gateway: from signed berichten files (one bericht each, as delivered, with the
                   gateway's countersignature; more files may follow as arguments). Each is validated and
                   its sender signature and countersignature verified; any that fails is reported and
                   nothing is answered (exit 1). The answer is the gateway's own evaluation, at --op.
  --registry FILE  with --trail: a Zicht registry file (keys per OIN with validity and role; profiles)
  --jwks FILE      with --trail: senders' public keys (JWK Set, may be repeated); --gateway-jwks FILE the
                   gateway's (for countersignatures)
  --bundle FILE --log-key FILE
                   with --trail: an audit bundle ('zicht audit export --dossier REF') and the log's verifier key
                   obtained independently (not the bundle's own): the bundle must verify, every held bericht
                   must be logged as accepted in it, and for a dossier export every bericht it logged must
                   be held; the berichten are then taken in the log's order
  --profile ID     with --trail: the region profile (default: the registry's record of the handover's first
                   receiver, else landelijk-minimum; the answer says which and why)

Exit: 0 answered, 1 no such dossier or a trail file that does not verify, 2 usage or I/O error (also when
the gateway refuses, and when a database's payloads are encrypted and no keyring is given).
`;

/** What the command prints: the API's answer (src/lifecycle/verantwoordelijkheid.ts), from any source. */
type Antwoord = Verantwoordelijkheid;
interface Tijdlijn {
  readonly tijdlijn: readonly Gebeurtenis[];
  readonly termijnen: readonly LedgerTermijn[];
}

type Bron = (reader: { ref: string; op: Date | undefined; tijdlijn: boolean }) => Promise<{ antwoord: Antwoord; tijdlijn?: Tijdlijn } | undefined>;

function fromDb(url: string, kekFile: string | undefined): Bron {
  return async ({ ref, op, tijdlijn }) => {
    // Payloads at rest are encrypted on every database 'zicht serve' made (issue 11): read them with its keyring.
    const keyring = loadKeyring(kekFile);
    const store = await openExistingStore(url, keyring === undefined ? {} : { keyring });
    try {
      const nu = new Date();
      const at = op ?? nu;
      if (at.getTime() > nu.getTime()) throw new UsageError('--op is not in the future: the ledger answers for the past and now');
      const found = await dossierLedger(store, ref, await new StoreDeelnemerRepository(store).list(), publishedProfielen(), nu);
      if (found === undefined) return undefined;
      const { ledger } = found;
      const antwoord = verantwoordelijkheid(ledger, at);
      return { antwoord, ...(tijdlijn ? { tijdlijn: { tijdlijn: ledger.tijdlijn, termijnen: ledger.termijnen } } : {}) };
    } finally {
      await store.close();
    }
  };
}

/** Keys obtained independently of the gateway: a registry file, or JWK Sets (senders') and the gateway's. */
async function trailKeys(registry: string | undefined, jwks: readonly string[], gatewayJwks: readonly string[]): Promise<{ keys: KeyResolver; deelnemers: readonly Deelnemer[] }> {
  const resolvers: KeyResolver[] = [];
  let deelnemers: readonly Deelnemer[] = [];
  if (registry !== undefined) {
    const repository = await loadRegistryFile(registry);
    resolvers.push(registryKeyResolver(repository));
    deelnemers = await repository.list();
  }
  for (const file of jwks) resolvers.push(jwksKeyResolver(readJsonFile(file)));
  for (const file of gatewayJwks) resolvers.push(jwksKeyResolver(readJsonFile(file), { rol: 'gateway' }));
  return { keys: combineKeyResolvers(...resolvers), deelnemers };
}

/** Thrown by the trail source when a file does not verify: reported, and nothing is answered. */
class TrailNietGeverifieerd extends Error {
  constructor(readonly fouten: readonly { bestand: string; code: string }[]) {
    super('trail not verified');
  }
}

/** An audit bundle file and the log key to check it with. */
function bundleOf(file: string, keyFile: string): { bundle: AuditBundle; key: ReturnType<typeof parseVerifierKey> } {
  const parsed = AuditBundle.safeParse(readJsonFile(file));
  if (!parsed.success) throw new UsageError(`${file} is not an audit bundle`);
  const text = readFileOrFail(keyFile).toString('utf8').trim();
  try {
    return { bundle: parsed.data, key: parseVerifierKey(text) };
  } catch {
    throw new UsageError(`${keyFile} is not a log verifier key`);
  }
}

function fromTrail(files: readonly string[], registry: string | undefined, jwks: readonly string[], gatewayJwks: readonly string[], profielId: string | undefined, bundel: { file: string; key: string } | undefined, note: (line: string) => void): Bron {
  return async ({ ref, op, tijdlijn }) => {
    const at = op ?? new Date();
    const { keys, deelnemers } = await trailKeys(registry, jwks, gatewayJwks);
    const verified = await verifieerTrail(files.map((naam) => ({ naam, bytes: readFileOrFail(naam) })), keys);
    if (verified.fouten.length > 0) throw new TrailNietGeverifieerd(verified.fouten);
    let trail = verified;
    if (bundel !== undefined) {
      const { bundle, key } = bundleOf(bundel.file, bundel.key);
      trail = toetsAanBundel(verified.berichten, ref, bundle, [key]);
      if (trail.fouten.length > 0) throw new TrailNietGeverifieerd(trail.fouten);
      note(`the audit bundle verifies with the given log key and logs every held bericht of ${ref}${bundle.selection.dossier === ref ? ', and every bericht it logged is held' : ''}`);
    }
    const berichten = trail.berichten.filter((g) => g.bericht.dossier.referentie === ref);
    const profielen = publishedProfielen();
    const profiel = profielId !== undefined ? profielById(profielen, profielId) : profielVoorDossier(berichten.map((g) => g.bericht), deelnemers, profielen);
    note(`${trail.berichten.length} bericht(en) verified (sender signature and gateway countersignature); profiel ${profiel.id} ${profielId !== undefined ? '(--profile)' : registry !== undefined ? "(the registry's record of the handover's first receiver, or the default)" : '(default: no registry names one; give --profile)'}`);
    const found = evalueerTrail(berichten, ref, profiel, at);
    if (found === undefined) return undefined;
    return { antwoord: found.verantwoordelijkheid, ...(tijdlijn ? { tijdlijn: { tijdlijn: found.ledger.tijdlijn, termijnen: found.ledger.termijnen } } : {}) };
  };
}

function fromGateway(url: string, keyFile: string, audienceArg: string | undefined): Bron {
  const base = url.replace(/\/+$/, '');
  return async ({ ref, op, tijdlijn }) => {
    const jwk = readJsonFile(keyFile);
    const oin = typeof jwk === 'object' && jwk !== null && 'oin' in jwk && typeof jwk.oin === 'string' ? jwk.oin : undefined;
    if (oin === undefined) throw new UsageError(`${keyFile} names no OIN ("oin" member)`);
    const signer = await createSigner({ privateJwk: jwk, oin });
    const audience = audienceArg ?? /^zicht\.gateway\/(\d{20})$/.exec(parseVerifierKey(await httpLogSource(base).verifierKey()).name)?.[1];
    if (audience === undefined || !Oin.safeParse(audience).success) throw new UsageError("give --audience OIN (the gateway's OIN)");
    const get = async (path: string): Promise<unknown> => {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await createBearerToken(signer, audience)}` } });
      } catch (error) {
        throw new IoError(`cannot reach the gateway (${error instanceof Error ? error.name : 'unknown error'})`, { cause: error });
      }
      if (response.status === 404) return undefined;
      if (!response.ok) throw new IoError(`the gateway answered ${response.status} to ${path.split('?')[0] ?? path}`);
      return parseStrictJson(await response.text());
    };
    const enc = encodeURIComponent(ref);
    const antwoord = (await get(`/v1/dossiers/${enc}/verantwoordelijkheid${op === undefined ? '' : `?op=${encodeURIComponent(op.toISOString())}`}`)) as Antwoord | undefined;
    if (antwoord === undefined) return undefined;
    if (!tijdlijn) return { antwoord };
    const ledger = (await get(`/v1/dossiers/${enc}/tijdlijn`)) as Tijdlijn | undefined;
    return ledger === undefined ? undefined : { antwoord, tijdlijn: { tijdlijn: ledger.tijdlijn, termijnen: ledger.termijnen } };
  };
}

const bronTekst = (bron: { document: string; sectie: string }) => `${bron.document} ${bron.sectie}`;

function print(io: Io, antwoord: Antwoord, tijdlijn: Tijdlijn | undefined): void {
  const lines = [`dossier ${antwoord.dossier} (profiel ${antwoord.profiel})`, `op ${antwoord.op}`, `verantwoordelijk: ${verantwoordelijkheidTekst(antwoord)}`];
  const v = antwoord.verantwoordelijke;
  if (v !== undefined) {
    lines.push(
      `  regel:     ${v.regel.profiel} ${v.regel.regel} (${bronTekst(v.regel.bron)})`,
      `  waarom:    ${v.regel.toelichting}`,
      `  berichten: ${v.berichten.join(', ')}`,
      ...(v.mede === undefined ? [] : [`  samen met: ${v.mede.join(', ')} (afstemming, meerdere gemeenten)`]),
    );
  }
  for (const o of antwoord.overdrachten) {
    lines.push(`overdracht ${o.overdracht} (${o.regel}, bij ${o.bij}${o.meerdereGemeenten ? ', meerdere gemeenten' : ''}): ${o.houder === v?.oin ? 'houdt zicht' : `zicht bij ${o.houder}`}; ${o.toelichting}`);
    for (const team of o.teams) lines.push(`  ${team.oin}: ${team.status}${team.regie === undefined ? '' : `, regie ${team.regie}`}${team.voldaan ? '' : ' (voldoet nog niet)'}`);
  }
  if (tijdlijn !== undefined) {
    lines.push('', 'tijdlijn:');
    for (const g of tijdlijn.tijdlijn) lines.push(`  ${g.op}  ${g.soort.padEnd(24)} ${g.oin}  ${g.berichtId}`);
    lines.push('', 'termijnen:');
    for (const t of tijdlijn.termijnen) {
      const maand = t.maand === undefined ? '' : ` (maand ${t.maand})`;
      const gehaald = t.gehaaldOp === undefined ? '' : ` gehaald op ${t.gehaaldOp} met ${t.gehaaldMet ?? ''}`;
      lines.push(`  ${t.soort}${maand}: ${t.status.padEnd(9)} uiterlijk ${t.uiterlijk}  moet handelen ${t.moetHandelen}${gehaald}  [${t.regel}, ${bronTekst(t.bron)}; na ${t.berichtId}]`);
    }
  }
  io.stdout(`${lines.join('\n')}\n`);
}

export const dossierCommand: Command = {
  name: 'dossier',
  summary: 'who is responsible for zicht op veiligheid in a dossier at an instant, and its timeline',
  usage,
  async run(args, io): Promise<ExitCode> {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: {
          op: { type: 'string' },
          tijdlijn: { type: 'boolean' },
          json: { type: 'boolean' },
          gateway: { type: 'string' },
          key: { type: 'string' },
          audience: { type: 'string' },
          db: { type: 'string' },
          'kek-file': { type: 'string' },
          trail: { type: 'string', multiple: true },
          registry: { type: 'string' },
          jwks: { type: 'string', multiple: true },
          'gateway-jwks': { type: 'string', multiple: true },
          profile: { type: 'string' },
          bundle: { type: 'string' },
          'log-key': { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    const ref = positionals[0];
    const trailFiles = values.trail === undefined ? [] : [...values.trail, ...positionals.slice(1)];
    if (ref === undefined || (positionals.length !== 1 && values.trail === undefined)) throw new UsageError('give one dossier reference');
    if (!Dossier.shape.referentie.safeParse(ref).success) throw new UsageError('the dossier reference is 3 to 64 letters, digits, dots, dashes or underscores');
    if (values.op !== undefined && !Tijdstip.safeParse(values.op).success) throw new UsageError('--op is an RFC 3339 date-time with an offset, e.g. 2026-06-15T10:00:00+02:00');
    const sources = [values.gateway, values.db, values.trail].filter((v) => v !== undefined).length;
    if (sources !== 1) throw new UsageError('give one of --gateway URL, --db URL or --trail FILE...');
    if (values.gateway !== undefined && values.key === undefined) throw new UsageError('with --gateway give --key JWK (your private key, for bearer tokens)');
    if (values.trail !== undefined && values.registry === undefined && values.jwks === undefined) throw new UsageError('with --trail give --registry FILE or --jwks FILE: the keys that check the signatures');
    if (values.trail === undefined && (values.registry ?? values.jwks ?? values['gateway-jwks'] ?? values.profile) !== undefined) throw new UsageError('--registry, --jwks, --gateway-jwks and --profile go with --trail');
    if (values.db === undefined && values['kek-file'] !== undefined) throw new UsageError('--kek-file goes with --db');
    if ((values.bundle === undefined) !== (values['log-key'] === undefined)) throw new UsageError('give --bundle FILE and --log-key FILE together: a bundle is checked with a log key obtained independently');
    if (values.bundle !== undefined && values.trail === undefined) throw new UsageError('--bundle goes with --trail: the bundle holds no content, the berichten do');
    const bron =
      values.db !== undefined
        ? fromDb(values.db, values['kek-file'])
        : values.trail !== undefined
          ? fromTrail(trailFiles, values.registry, values.jwks ?? [], values['gateway-jwks'] ?? [], values.profile, values.bundle === undefined ? undefined : { file: values.bundle, key: values['log-key'] ?? '' }, (line) => { io.stderr(`zicht dossier: ${line}\n`); })
          : fromGateway(values.gateway ?? '', values.key ?? '', values.audience);
    let found: Awaited<ReturnType<Bron>>;
    try {
      found = await bron({ ref, op: values.op === undefined ? undefined : new Date(values.op), tijdlijn: values.tijdlijn === true });
    } catch (error) {
      if (!(error instanceof TrailNietGeverifieerd)) throw error;
      for (const f of error.fouten) io.stderr(`zicht dossier: ${f.bestand}: not used: ${f.code}\n`);
      io.stderr(`zicht dossier: ${error.fouten.length} file(s) of the trail do not verify; nothing is answered\n`);
      return EXIT.findings;
    }
    if (found === undefined) {
      io.stderr(`zicht dossier: no dossier ${ref}\n`);
      return EXIT.findings;
    }
    if (values.json === true) io.stdout(`${JSON.stringify({ ...found.antwoord, ...(found.tijdlijn ?? {}) }, null, 2)}\n`);
    else print(io, found.antwoord, found.tijdlijn);
    return EXIT.ok;
  },
};
