/**
 * The console at /console: server-rendered pages over the store, the registry, the ledgers and the audit log.
 *
 * Who sees what: a participant (vt, gemeente, lokaal-team, gi) its own berichten and dossiers; an auditor the
 * metadata of all, never content; an operator (beheerder) the berichten' delivery status, the dead letters
 * (which it may put back in the outbox) and the registry (where it may suspend or readmit a participant), but no
 * dossier timelines. Sign-in: see src/console/session.ts. Every form that changes something carries the
 * session's CSRF token, and every POST must come from the console's own origin when the browser says where
 * it came from. No personal data in URLs: dossiers are addressed by their pseudonymous reference only.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticate, type ReplayGuard } from '../http/auth.js';
import { AuthError } from '../errors.js';
import { dossierLedger } from '../lifecycle/dossier.js';
import { dossierLedgers } from '../lifecycle/overzicht.js';
import { z } from 'zod';
import { BERICHT_TYPES, Dossier } from '../model/bericht.js';
import { Oin, Uuid } from '../model/primitives.js';
import { publishedProfielen } from '../profiles/load.js';
import { beginVanDag } from '../profiles/werkdagen.js';
import type { Profiel } from '../profiles/profiel.js';
import type { Deelnemer, DeelnemerRol } from '../registry/deelnemer.js';
import type { DeelnemerRepository } from '../registry/repository.js';
import type { Signer } from '../signing/signer.js';
import type { Store } from '../store/store.js';
import type { NoteSigner } from '../audit/note-key.js';
import { auditlogScript } from './client.js';
import { csrfMatches, SESSION_COOKIE, SESSION_MS, SessionStore, type ConsoleSession } from './session.js';
import { schorsingGeweigerd, statusGevolgen } from './operator.js';
import { afleverfoutenView, auditlogView, berichtView, bevestigView, gedaanView, berichtenView, CONSOLE_CSS, deelnemersView, dossiersView, dossierView, inloggenView, layout, org, regelsView, termijnenTabel, tijd, type Namen } from './views.js';
import { berichtSoort, dossierAntwoord } from './antwoord.js';
import { dossierOverzicht } from './dossier-overzicht.js';

/** What the console needs. */
export interface ConsoleDeps {
  readonly store: Store;
  readonly registry: DeelnemerRepository;
  readonly gateway: Signer;
  readonly replay: ReplayGuard;
  readonly logKey: NoteSigner;
  /** The demo sign-in (a button per participant): only `zicht demo` sets it. */
  readonly demo?: boolean;
  /** Mark the session cookie Secure (the gateway serves TLS). */
  readonly secureCookie?: boolean;
  readonly sessions?: SessionStore;
  readonly profielen?: ReadonlyMap<string, Profiel>;
  readonly now?: () => Date;
  /** After an operator put a dead letter back in the outbox (wake the worker, count it). */
  readonly onRequeued?: () => void;
}

type ConsoleEnv = { Variables: { session: ConsoleSession }; Bindings: { incoming?: { socket?: unknown } } };

const PARTICIPANT_ROLES: readonly DeelnemerRol[] = ['vt', 'gemeente', 'lokaal-team', 'gi'];
const isParticipant = (rol: DeelnemerRol) => PARTICIPANT_ROLES.includes(rol);
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const LIMIT = 100;
/** Berichten per page of the overview. */
const PAGE = 50;
const DATUM = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(d)));
/** The berichten overview's filter (query parameters), each optional; empty fields of the form are left out before. */
const BerichtenFilter = z.object({
  soort: z.enum(BERICHT_TYPES).optional(),
  status: z.enum(['queued', 'delivered', 'acknowledged', 'failed']).optional(),
  van: DATUM.optional(),
  tot: DATUM.optional(),
  voor: z.coerce.number().int().min(1).optional(),
});
export type BerichtenFilter = z.infer<typeof BerichtenFilter>;
/** The dossiers overview's filter (query parameters): part of a reference, a gemeente (or team) by OIN, the state. */
const DossiersFilter = z.object({
  zoek: z.string().trim().min(1).max(64).optional(),
  gemeente: Oin.optional(),
  stand: z.enum(['lopend', 'afgesloten']).optional(),
  voor: z.coerce.number().int().min(1).optional(),
});
const volgendeDag = (datum: string): string => new Date(Date.parse(`${datum}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The console's routes, to mount on the gateway's app with `app.route('/', …)`. */
export function consoleRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const sessions = deps.sessions ?? new SessionStore(deps.store);
  const now = deps.now ?? (() => new Date());
  const profielen = deps.profielen ?? publishedProfielen();
  const namen = async (): Promise<Namen> => new Map((await deps.registry.list()).map((d) => [d.oin, d]));

  app.use('/console/*', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', CSP);
    c.res.headers.set('cache-control', 'no-store');
  });
  app.use('/console', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', CSP);
    c.res.headers.set('cache-control', 'no-store');
  });

  // A POST must come from the console itself: SameSite=Strict keeps the cookie off cross-site requests, and the
  // Origin header (when the browser sends one) must be ours. Forms that change something also carry the CSRF token.
  // Browsers send Sec-Fetch-Site (and, under the gateway's Referrer-Policy no-referrer, `Origin: null`), so
  // that header decides when present; other clients are judged by Origin.
  const sameOrigin = (c: Context<ConsoleEnv>): boolean => {
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined) return site === 'same-origin';
    const origin = c.req.header('origin');
    return origin === undefined || origin === new URL(c.req.url).origin;
  };
  const page = (c: Context<ConsoleEnv>, status: 200 | 400 | 401 | 403 | 404 | 409, title: string, body: Parameters<typeof layout>[2], options: Parameters<typeof layout>[3] = {}) =>
    c.html(layout(title, c.get('session') as ConsoleSession | undefined, body, options), status);

  const signedIn = async (c: Context<ConsoleEnv>, next: () => Promise<void>) => {
    const session = await sessions.get(getCookie(c, SESSION_COOKIE));
    if (session === undefined) return c.redirect('/console/inloggen', 303);
    const deelnemer = await deps.registry.get(session.oin);
    if (deelnemer?.status !== 'actief') {
      await sessions.delete(session.id);
      return c.redirect('/console/inloggen', 303);
    }
    c.set('session', session);
    await next();
    return undefined;
  };
  const allow = (roles: readonly DeelnemerRol[]) => async (c: Context<ConsoleEnv>, next: () => Promise<void>) => {
    if (!roles.includes(c.get('session').rol)) return page(c, 403, 'Geen toegang', 'Uw rol geeft geen toegang tot deze pagina.');
    await next();
    return undefined;
  };

  const start = async (c: Context<ConsoleEnv>, deelnemer: Deelnemer, via: ConsoleSession['via']) => {
    if (deelnemer.rol === 'gateway') return c.html(layout('Inloggen', undefined, inloggenView(undefined, 'De gateway zelf kan niet inloggen op de console.')), 403);
    const session = await sessions.create({ oin: deelnemer.oin, rol: deelnemer.rol, naam: deelnemer.naam, via });
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: deps.secureCookie === true, maxAge: SESSION_MS / 1000 });
    return c.redirect('/console', 303);
  };
  const demoDeelnemers = async () => (deps.demo === true ? (await deps.registry.list()).filter((d) => d.status === 'actief' && d.rol !== 'gateway') : undefined);
  const refusedSignIn = async (c: Context<ConsoleEnv>, melding: string) => c.html(layout('Inloggen', undefined, inloggenView(await demoDeelnemers(), melding)), 401);

  app.get('/console/static/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/console/static/auditlog.js', (c) => c.body(auditlogScript(), 200, { 'content-type': 'text/javascript; charset=utf-8' }));

  app.get('/console/inloggen', async (c) => c.html(layout('Inloggen', undefined, inloggenView(await demoDeelnemers()))));
  app.post('/console/inloggen', async (c) => {
    if (!sameOrigin(c)) return refusedSignIn(c, 'Dit verzoek kwam niet van de console.');
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    try {
      const caller = await authenticate({ authorization: `Bearer ${token}` }, { registry: deps.registry, audience: deps.gateway.oin, replay: deps.replay });
      return await start(c, caller.deelnemer, 'jwt');
    } catch (error) {
      if (error instanceof AuthError) return refusedSignIn(c, `Inloggen is mislukt (${error.code}).`);
      throw error;
    }
  });
  app.post('/console/inloggen/certificaat', async (c) => {
    if (!sameOrigin(c)) return refusedSignIn(c, 'Dit verzoek kwam niet van de console.');
    try {
      const caller = await authenticate({ socket: (c.env as ConsoleEnv['Bindings'] | undefined)?.incoming?.socket }, { registry: deps.registry, audience: deps.gateway.oin, replay: deps.replay });
      if (caller.via !== 'mtls') return await refusedSignIn(c, 'Er is geen geldig clientcertificaat aangeboden.');
      return await start(c, caller.deelnemer, 'mtls');
    } catch (error) {
      if (error instanceof AuthError) return refusedSignIn(c, 'Er is geen geldig clientcertificaat van een actieve deelnemer aangeboden.');
      throw error;
    }
  });
  app.post('/console/inloggen/demo', async (c) => {
    if (deps.demo !== true) return c.html(layout('Niet gevonden', undefined, 'Deze pagina bestaat niet.'), 404);
    if (!sameOrigin(c)) return refusedSignIn(c, 'Dit verzoek kwam niet van de console.');
    const oin = (await c.req.parseBody()).oin;
    const deelnemer = typeof oin === 'string' && Oin.safeParse(oin).success ? await deps.registry.get(oin) : undefined;
    if (deelnemer?.status !== 'actief') return refusedSignIn(c, 'Onbekende of geschorste deelnemer.');
    return start(c, deelnemer, 'demo');
  });
  app.post('/console/uitloggen', signedIn, async (c) => {
    const form = await c.req.parseBody();
    if (!sameOrigin(c) || !csrfMatches(c.get('session'), form.csrf)) return page(c, 403, 'Geen toegang', 'Dit verzoek kwam niet van de console.');
    await sessions.delete(c.get('session').id);
    deleteCookie(c, SESSION_COOKIE, { path: '/console' });
    return c.redirect('/console/inloggen', 303);
  });

  app.get('/console', signedIn, async (c) => {
    const session = c.get('session');
    const filter = BerichtenFilter.safeParse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')));
    if (!filter.success) return page(c, 400, 'Berichten', 'Het filter is ongeldig: kies een soort en status uit de lijst en geef data als jjjj-mm-dd.');
    const f = filter.data;
    const rows = await deps.store.listRecentBerichten({
      ...(isParticipant(session.rol) ? { oin: session.oin } : {}),
      limit: PAGE,
      ...(f.soort === undefined ? {} : { berichtType: f.soort }),
      ...(f.status === undefined ? {} : { status: f.status }),
      // Dates are days in Europe/Amsterdam: from the start of `van` up to the end of `tot`.
      ...(f.van === undefined ? {} : { van: beginVanDag(f.van) }),
      ...(f.tot === undefined ? {} : { tot: beginVanDag(volgendeDag(f.tot)) }),
      ...(f.voor === undefined ? {} : { voor: f.voor }),
    });
    return page(c, 200, 'Berichten', berichtenView(await namen(), rows, session.rol !== 'operator', f, PAGE), { current: '/console' });
  });

  const dossierRoles: DeelnemerRol[] = [...PARTICIPANT_ROLES, 'auditor'];
  app.get('/console/dossiers', signedIn, allow(dossierRoles), async (c) => {
    const session = c.get('session');
    const filter = DossiersFilter.safeParse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')));
    if (!filter.success) return page(c, 400, 'Dossiers', 'Het filter is ongeldig: zoek op (een deel van) een referentie van hoogstens 64 tekens en kies gemeente en stand uit de lijst.');
    const f = filter.data;
    const deelnemers = await deps.registry.list();
    const pagina = await dossierOverzicht(deps.store, deelnemers, profielen, now(), {
      ...(isParticipant(session.rol) ? { oin: session.oin } : {}),
      ...(f.zoek === undefined ? {} : { zoek: f.zoek }),
      ...(f.gemeente === undefined ? {} : { ontvanger: f.gemeente }),
      ...(f.stand === undefined ? {} : { stand: f.stand }),
      ...(f.voor === undefined ? {} : { voor: f.voor }),
      limit: PAGE,
    });
    const gemeenten = deelnemers.filter((d) => d.rol === 'gemeente' || d.rol === 'lokaal-team' || d.rol === 'gi');
    return page(c, 200, 'Dossiers', dossiersView(new Map(deelnemers.map((d) => [d.oin, d])), pagina, f, gemeenten, f.voor !== undefined), { current: '/console/dossiers' });
  });
  app.get('/console/dossiers/:ref', signedIn, allow(dossierRoles), async (c) => {
    const session = c.get('session');
    const ref = c.req.param('ref') ?? '';
    const notFound = () => page(c, 404, 'Dossier niet gevonden', 'Er is geen dossier met deze referentie dat u mag inzien.');
    if (!Dossier.shape.referentie.safeParse(ref).success) return notFound();
    const found = await dossierLedger(deps.store, ref, await deps.registry.list(), profielen, now());
    // Not found and not yours look the same: a participant learns nothing about other dossiers.
    if (!found || (session.rol !== 'auditor' && !found.deelnemers.has(session.oin))) return notFound();
    const deelnemers = await deps.registry.list();
    const antwoord = await dossierAntwoord(deps.store, found.ledger, deelnemers);
    return page(c, 200, `Dossier ${ref}`, dossierView(new Map(deelnemers.map((d) => [d.oin, d])), found.ledger, antwoord), { current: '/console/dossiers' });
  });

  // One bericht's metadata: a participant sees those it sent or that were addressed to it; auditor and operator all.
  app.get('/console/berichten/:id', signedIn, async (c) => {
    const session = c.get('session');
    const id = c.req.param('id') ?? '';
    const notFound = () => page(c, 404, 'Bericht niet gevonden', 'Er is geen bericht met deze id dat u mag inzien.');
    if (!Uuid.safeParse(id).success) return notFound();
    const bericht = await deps.store.getBericht(id);
    if (bericht === undefined) return notFound();
    const deliveries = await deps.store.listDeliveries(bericht.berichtId);
    if (isParticipant(session.rol) && bericht.senderOin !== session.oin && !deliveries.some((d) => d.receiverOin === session.oin)) return notFound();
    const body = JSON.parse(bericht.body) as { verzondenOp?: unknown };
    const { soort, kid } = berichtSoort(bericht, body);
    return page(c, 200, `Bericht ${bericht.berichtId}`, berichtView({
      namen: await namen(),
      bericht,
      soort,
      ...(typeof body.verzondenOp === 'string' ? { verzondenOp: body.verzondenOp } : {}),
      ...(kid === undefined ? {} : { kid }),
      deliveries,
      events: await deps.store.listEventsOfBericht(bericht.berichtId),
      toonDossier: session.rol !== 'operator',
      nu: now(),
    }), { current: '/console' });
  });

  app.get('/console/regels', signedIn, (c) => page(c, 200, 'Regels van de standaard', regelsView(), { current: '/console/regels' }));

  app.get('/console/signalen', signedIn, allow(dossierRoles), async (c) => {
    const session = c.get('session');
    const ledgers = await dossierLedgers(deps.store, await deps.registry.list(), profielen, now(), { ...(isParticipant(session.rol) ? { oin: session.oin } : {}), limit: LIMIT });
    const rows = (status: string) => ledgers.flatMap((l) => l.termijnen.filter((t) => t.status === status).map((termijn) => ({ dossier: l.dossier, termijn })));
    const escalaties = ledgers.flatMap((l) => l.tijdlijn.filter((g) => g.soort === 'escalatie').map((g) => ({ dossier: l.dossier, ...g })));
    const n = await namen();
    return page(
      c,
      200,
      'Termijnen en escalaties',
      html`<h2>Gemist</h2>${termijnenTabel(n, rows('gemist'), 'Termijnen die verstreken zonder dat het bericht kwam (te laat)')}
<h2>Lopend</h2>${termijnenTabel(n, rows('open'), 'Termijnen die nog lopen')}
<h2>Escalaties</h2>${escalaties.length === 0 ? html`<p>Geen escalaties.</p>` : html`<table><caption>Escalaties: de gemeente antwoordt binnen de termijn die het regioprofiel van het dossier noemt (zie de termijnen hierboven en de dossierpagina)</caption><thead><tr><th scope="col">Dossier</th><th scope="col">Wanneer</th><th scope="col">Door</th></tr></thead><tbody>${escalaties.map((e) => html`<tr><td><a href="/console/dossiers/${e.dossier}">${e.dossier}</a></td><td>${tijd(e.op)}</td><td>${org(n, e.oin)}</td></tr>`)}</tbody></table>`}`,
      { current: '/console/signalen' },
    );
  });

  app.get('/console/afleverfouten', signedIn, async (c) => {
    const session = c.get('session');
    const failed = [];
    for (const delivery of await deps.store.listDeliveriesByStatus('failed', LIMIT)) {
      const bericht = await deps.store.getBericht(delivery.berichtId);
      if (!isParticipant(session.rol) || delivery.receiverOin === session.oin || bericht?.senderOin === session.oin) failed.push({ delivery, bericht });
    }
    return page(c, 200, 'Afleverfouten', afleverfoutenView(await namen(), failed, session), { current: '/console/afleverfouten' });
  });
  app.post('/console/afleverfouten/opnieuw', signedIn, allow(['operator']), async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    if (!sameOrigin(c) || !csrfMatches(session, form.csrf)) return page(c, 403, 'Geen toegang', 'Dit verzoek kwam niet van de console (CSRF-controle).');
    const berichtId = form.berichtId;
    const receiverOin = form.ontvanger;
    if (typeof berichtId !== 'string' || !Uuid.safeParse(berichtId).success || typeof receiverOin !== 'string' || !Oin.safeParse(receiverOin).success) {
      return page(c, 400, 'Ongeldig verzoek', 'Het formulier is niet volledig.');
    }
    const bericht = await deps.store.getBericht(berichtId);
    const ontvanger = (await namen()).get(receiverOin)?.naam ?? `OIN ${receiverOin}`;
    const wat = `${bericht?.berichtType ?? 'bericht'} ${berichtId} aan ${ontvanger}`;
    if (form.bevestigd !== 'ja') {
      return page(c, 200, 'Opnieuw aanbieden?', bevestigView({
        action: '/console/afleverfouten/opnieuw',
        fields: { berichtId, ontvanger: receiverOin },
        gevolgen: [
          `Het ${wat} gaat terug in de wachtrij; de gateway probeert het opnieuw af te leveren volgens het gewone herhaalschema.`,
          'Weigert de ontvanger het opnieuw, dan wordt het weer onbestelbaar. Doe dit pas als de ontvanger het probleem heeft opgelost.',
        ],
        knop: 'Ja, opnieuw aanbieden',
        terug: '/console/afleverfouten',
        csrf: session.csrf,
      }));
    }
    const at = now();
    const requeued = await deps.store.transaction(async (tx) => {
      if (!(await tx.requeueDelivery({ berichtId, receiverOin }, at))) return false;
      await tx.appendEvent({ type: 'delivery.requeued', berichtId, oin: receiverOin, at, data: { operator: session.oin } });
      return true;
    });
    if (!requeued) return page(c, 409, 'Niets gedaan', `Het ${wat} is niet (meer) onbestelbaar; er is niets veranderd.`);
    deps.onRequeued?.();
    return page(c, 200, 'Opnieuw aangeboden', gedaanView({
      melding: `Het ${wat} staat weer in de wachtrij.`,
      vastgelegd: `gebeurtenis "bericht opnieuw aangeboden" (delivery.requeued) bij bericht ${berichtId}, door beheerder ${session.naam}`,
      op: at,
      terug: '/console/afleverfouten',
      terugTekst: 'Terug naar de afleverfouten',
    }));
  });

  app.get('/console/deelnemers', signedIn, async (c) => {
    return page(c, 200, 'Deelnemers', deelnemersView(await deps.registry.list(), c.get('session'), now()), { current: '/console/deelnemers' });
  });
  app.post('/console/deelnemers/status', signedIn, allow(['operator']), async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    if (!sameOrigin(c) || !csrfMatches(session, form.csrf)) return page(c, 403, 'Geen toegang', 'Dit verzoek kwam niet van de console (CSRF-controle).');
    const { oin, status } = form;
    const alle = await deps.registry.list();
    const target = typeof oin === 'string' && Oin.safeParse(oin).success ? alle.find((d) => d.oin === oin) : undefined;
    if (target === undefined || target.oin === session.oin || (status !== 'actief' && status !== 'geschorst')) {
      return page(c, 400, 'Ongeldig verzoek', 'Deze deelnemer kan niet zo worden gewijzigd.');
    }
    const weigering = schorsingGeweigerd(target, status, alle);
    if (weigering !== undefined) return page(c, 409, 'Niet toegestaan', weigering);
    if (form.bevestigd !== 'ja') {
      return page(c, 200, status === 'geschorst' ? `${target.naam} schorsen?` : `${target.naam} weer toelaten?`, bevestigView({
        action: '/console/deelnemers/status',
        fields: { oin: target.oin, status },
        gevolgen: statusGevolgen(target, status, alle),
        knop: status === 'geschorst' ? `Ja, ${target.naam} schorsen` : `Ja, ${target.naam} weer toelaten`,
        terug: '/console/deelnemers',
        csrf: session.csrf,
      }));
    }
    const at = now();
    await deps.registry.setStatus(target.oin, status);
    return page(c, 200, status === 'geschorst' ? 'Geschorst' : 'Weer toegelaten', gedaanView({
      melding: `${target.naam} is ${status === 'geschorst' ? 'geschorst' : 'weer toegelaten'}.`,
      vastgelegd: `wijziging van het register (registry.changed) voor OIN ${target.oin}: status ${status}, door beheerder ${session.naam}`,
      op: at,
      terug: '/console/deelnemers',
      terugTekst: 'Terug naar de deelnemers',
    }));
  });

  app.get('/console/auditlog', signedIn, async (c) => {
    const checkpoint = await deps.store.latestCheckpoint();
    return page(c, 200, 'Auditlog', auditlogView({ origin: deps.logKey.name, verifierKey: deps.logKey.vkey }, checkpoint, await deps.store.logSize()), {
      current: '/console/auditlog',
      script: '/console/static/auditlog.js',
    });
  });

  // A trailing slash or a page that does not exist gets a Dutch page of the console, not the API's problem+json.
  app.get('/console/', (c) => c.redirect('/console', 301));
  app.all('/console/*', async (c) => {
    const session = await sessions.get(getCookie(c, SESSION_COOKIE));
    return c.html(layout('Pagina niet gevonden', session, 'Deze pagina bestaat niet. Kies een onderdeel in het menu, of ga naar de berichten.'), 404);
  });

  return app;
}
