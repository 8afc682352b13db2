/**
 * `zicht dossier REF`: who is responsible for zicht op veiligheid in a dossier at an instant, and with
 * `--tijdlijn` its timeline and terms (issue 6). From a gateway through its API
 * (GET /v1/dossiers/{ref}/verantwoordelijkheid and /tijdlijn, with a bearer token made from the caller's
 * key) or from a gateway's database (dossierLedger). Metadata only: OINs, roles, times, bericht ids and
 * the profile rule with its source; never the berichten's content.
 */
import { parseArgs } from 'node:util';
import { parseVerifierKey } from '../../audit/note-key.js';
import { httpLogSource } from '../../audit/http-source.js';
import { IoError, UsageError } from '../../errors.js';
import { dossierLedger } from '../../lifecycle/dossier.js';
import { verantwoordelijkeOp, type Gebeurtenis, type LedgerTermijn, type Verantwoordelijke } from '../../lifecycle/ledger.js';
import { Dossier } from '../../model/bericht.js';
import { Oin, Tijdstip } from '../../model/primitives.js';
import { publishedProfielen } from '../../profiles/load.js';
import { StoreDeelnemerRepository } from '../../registry/store-repository.js';
import { createBearerToken } from '../../signing/bearer-token.js';
import { createSigner } from '../../signing/signer.js';
import { openExistingStore } from '../../store/existing.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command, type ExitCode, type Io } from '../command.js';
import { readJsonFile } from './sign.js';

const usage = `usage: zicht dossier REF [--op TIMESTAMP] [--tijdlijn] [--json]
                    (--gateway URL --key JWK [--audience OIN] | --db URL)

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

Exit: 0 answered, 1 no such dossier, 2 usage or I/O error (also when the gateway refuses).
`;

/** What the command prints: the API's answers, from either source. */
interface Antwoord {
  readonly dossier: string;
  readonly op: string;
  readonly profiel: string;
  readonly verantwoordelijke?: Verantwoordelijke;
  readonly afgeslotenOp?: string;
}
interface Tijdlijn {
  readonly tijdlijn: readonly Gebeurtenis[];
  readonly termijnen: readonly LedgerTermijn[];
}

type Bron = (reader: { ref: string; op: Date | undefined; tijdlijn: boolean }) => Promise<{ antwoord: Antwoord; tijdlijn?: Tijdlijn } | undefined>;

function fromDb(url: string): Bron {
  return async ({ ref, op, tijdlijn }) => {
    const store = await openExistingStore(url);
    try {
      const nu = new Date();
      const at = op ?? nu;
      if (at.getTime() > nu.getTime()) throw new UsageError('--op is not in the future: the ledger answers for the past and now');
      const found = await dossierLedger(store, ref, await new StoreDeelnemerRepository(store).list(), publishedProfielen(), nu);
      if (found === undefined) return undefined;
      const { ledger } = found;
      const verantwoordelijke = verantwoordelijkeOp(ledger, at);
      const antwoord: Antwoord = { dossier: ledger.dossier, op: at.toISOString(), profiel: ledger.profiel, ...(verantwoordelijke ? { verantwoordelijke } : {}), ...(ledger.afgeslotenOp ? { afgeslotenOp: ledger.afgeslotenOp } : {}) };
      return { antwoord, ...(tijdlijn ? { tijdlijn: { tijdlijn: ledger.tijdlijn, termijnen: ledger.termijnen } } : {}) };
    } finally {
      await store.close();
    }
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
      return response.json();
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
  const lines = [`dossier ${antwoord.dossier} (profiel ${antwoord.profiel})`, `op ${antwoord.op}`];
  const v = antwoord.verantwoordelijke;
  if (v === undefined) {
    lines.push(antwoord.afgeslotenOp !== undefined && Date.parse(antwoord.op) >= Date.parse(antwoord.afgeslotenOp) ? `verantwoordelijk: none, the dossier was closed at ${antwoord.afgeslotenOp}` : 'verantwoordelijk: none yet (VT was not yet responsible at that instant)');
  } else {
    lines.push(
      `verantwoordelijk: ${v.oin} (${v.rol})`,
      `  sinds:     ${v.sinds}`,
      `  regel:     ${v.regel.profiel} ${v.regel.regel} (${bronTekst(v.regel.bron)})`,
      `  waarom:    ${v.regel.toelichting}`,
      `  berichten: ${v.berichten.join(', ')}`,
    );
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
        options: { op: { type: 'string' }, tijdlijn: { type: 'boolean' }, json: { type: 'boolean' }, gateway: { type: 'string' }, key: { type: 'string' }, audience: { type: 'string' }, db: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      }),
    );
    const ref = positionals[0];
    if (positionals.length !== 1 || ref === undefined) throw new UsageError('give one dossier reference');
    if (!Dossier.shape.referentie.safeParse(ref).success) throw new UsageError('the dossier reference is 3 to 64 letters, digits, dots, dashes or underscores');
    if (values.op !== undefined && !Tijdstip.safeParse(values.op).success) throw new UsageError('--op is an RFC 3339 date-time with an offset, e.g. 2026-06-15T10:00:00+02:00');
    if ((values.gateway === undefined) === (values.db === undefined)) throw new UsageError('give either --gateway URL or --db URL');
    if (values.gateway !== undefined && values.key === undefined) throw new UsageError('with --gateway give --key JWK (your private key, for bearer tokens)');
    const bron = values.db !== undefined ? fromDb(values.db) : fromGateway(values.gateway ?? '', values.key ?? '', values.audience);
    const found = await bron({ ref, op: values.op === undefined ? undefined : new Date(values.op), tijdlijn: values.tijdlijn === true });
    if (found === undefined) {
      io.stderr(`zicht dossier: no dossier ${ref}\n`);
      return EXIT.findings;
    }
    if (values.json === true) io.stdout(`${JSON.stringify({ ...found.antwoord, ...(found.tijdlijn ?? {}) }, null, 2)}\n`);
    else print(io, found.antwoord, found.tijdlijn);
    return EXIT.ok;
  },
};
