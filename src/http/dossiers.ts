/**
 * The dossier routes: who is responsible for zicht op veiligheid at an instant, and the timeline with
 * its terms. Only the dossier's participants and auditors may read them; the answers hold metadata
 * only (OINs, roles, times, bericht ids, the profile rule and its source), never content.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { dossierLedger } from '../lifecycle/dossier.js';
import type { Ledger } from '../lifecycle/ledger.js';
import { verantwoordelijkheid } from '../lifecycle/verantwoordelijkheid.js';
import { Dossier } from '../model/bericht.js';
import { Tijdstip } from '../model/primitives.js';
import { publishedProfielen } from '../profiles/load.js';
import type { Profiel } from '../profiles/profiel.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import type { StoreOperations } from '../store/store.js';
import type { Caller } from './auth.js';
import { parameterProblem, problemResponse } from './problem.js';

/** What the dossier routes need. */
export interface DossierDeps {
  readonly store: StoreOperations;
  readonly registry: DeelnemerRepository;
  readonly now?: () => Date;
  readonly profielen?: ReadonlyMap<string, Profiel>;
}

type DossierEnv = { Variables: { caller: Caller } };
const callerOf = (vars: unknown): Caller['deelnemer'] => (vars as DossierEnv['Variables']).caller.deelnemer;

/** The ledger without refusals: what a participant or auditor may see. */
export function publicLedger(ledger: Ledger): Omit<Ledger, 'geweigerd'> {
  const { dossier, profiel, nu, vtVerantwoordelijkSinds, afgeslotenOp, perioden, tijdlijn, termijnen, overdrachten } = ledger;
  return { dossier, profiel, nu, ...(vtVerantwoordelijkSinds ? { vtVerantwoordelijkSinds } : {}), ...(afgeslotenOp ? { afgeslotenOp } : {}), perioden, tijdlijn, termijnen, overdrachten };
}

const wellFormedRef = (ref: string): boolean => Dossier.shape.referentie.safeParse(ref).success;
/** A reference that cannot be a dossier's is a bad request (BER-030), not an unknown dossier. */
const refProblem = (): Response => parameterProblem('path', ['ref'], 'ref is a dossier reference: a letter or digit, then 2 to 63 letters, digits, dots, hyphens or underscores.');

/** Registers GET /v1/dossiers/{ref}/verantwoordelijkheid and /tijdlijn on the app. */
export function registerDossierRoutes<E extends DossierEnv>(app: Hono<E>, deps: DossierDeps, authenticated: MiddlewareHandler<E>): void {
  const load = async (ref: string, caller: Caller['deelnemer'], nu: Date) => {
    const found = await dossierLedger(deps.store, ref, await deps.registry.list(), deps.profielen ?? publishedProfielen(), nu);
    if (!found) return problemResponse(404, 'No dossier with this reference.');
    if (caller.rol !== 'auditor' && !found.deelnemers.has(caller.oin)) return problemResponse(403, "Only the dossier's participants and auditors can read its ledger.");
    return found.ledger;
  };

  app.get('/v1/dossiers/:ref/verantwoordelijkheid', authenticated, async (c) => {
    const nu = deps.now?.() ?? new Date();
    const opText = c.req.query('op');
    if (!wellFormedRef(c.req.param('ref'))) return refProblem();
    if (opText !== undefined && !Tijdstip.safeParse(opText).success) return parameterProblem('query', ['op'], 'op is a date-time with an offset (RFC 3339).');
    const op = opText === undefined ? nu : new Date(opText);
    if (op.getTime() > nu.getTime()) return parameterProblem('query', ['op'], 'op is not in the future: the ledger answers for the past and now.');
    const ledger = await load(c.req.param('ref'), callerOf(c.var), nu);
    if (ledger instanceof Response) return ledger;
    return c.json(verantwoordelijkheid(ledger, op));
  });

  app.get('/v1/dossiers/:ref/tijdlijn', authenticated, async (c) => {
    if (!wellFormedRef(c.req.param('ref'))) return refProblem();
    const ledger = await load(c.req.param('ref'), callerOf(c.var), deps.now?.() ?? new Date());
    return ledger instanceof Response ? ledger : c.json(publicLedger(ledger));
  });
}
