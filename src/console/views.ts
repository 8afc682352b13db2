/**
 * The console's pages as server-rendered HTML (hono's `html` template, which escapes every value put into it):
 * plain, accessible markup in Dutch with the domain's own words. Pages show metadata only (organisations,
 * roles, times, statuses, bericht ids, rule ids and their sources), never the content of a bericht.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { BERICHT_TYPES } from '../model/bericht.js';
import type { Ledger, LedgerTermijn, Periode } from '../lifecycle/ledger.js';
import type { Verantwoordelijkheid } from '../lifecycle/verantwoordelijkheid.js';
import type { Deelnemer, DeelnemerRol } from '../registry/deelnemer.js';
import type { Delivery, DeliveryStatus } from '../store/delivery.js';
import type { StoredBericht } from '../store/stored-bericht.js';
import type { StoreEvent } from '../store/store-event.js';
import { catalogue } from '../rules/catalogue.js';
import { regelTekstNl } from '../rules/messages-nl.js';
import { regelNl, toelichtingNl, type Bewijs, type DossierAntwoord, type Waarschuwing } from './antwoord.js';
import type { DossierPagina, DossierRij } from './dossier-overzicht.js';
import type { ConsoleSession } from './session.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
/** A page body: markup, or plain text (escaped). */
type Body = Html | string;

/** Dutch names of the roles. */
export const ROL: Readonly<Record<DeelnemerRol, string>> = {
  vt: 'Veilig Thuis',
  gemeente: 'gemeente',
  'lokaal-team': 'lokaal team',
  gi: 'gecertificeerde instelling',
  gateway: 'gateway',
  auditor: 'auditor (toezicht)',
  operator: 'beheerder',
};

const STATUS: Readonly<Record<DeliveryStatus, string>> = { queued: 'in wachtrij', delivered: 'afgeleverd', acknowledged: 'bevestigd', failed: 'onbestelbaar' };
/** What happened, in words: bericht types, receipt statuses and the gateway's event codes as the timeline shows them. */
const GEBEURTENIS: Readonly<Record<string, string>> = {
  overdracht: 'overdracht',
  ontvangstbevestiging: 'ontvangstbevestiging',
  veiligheidsvoorwaarden: 'veiligheidsvoorwaarden bijgewerkt',
  ontvangen: 'ontvangstbevestiging: ontvangen',
  geaccepteerd: 'ontvangstbevestiging: geaccepteerd',
  'niet-geaccepteerd': 'ontvangstbevestiging: niet geaccepteerd',
  'contact-gestart': 'contact met het huishouden gestart',
  monitoring: 'monitoring door Veilig Thuis',
  escalatie: 'escalatie',
  'escalatie-antwoord': 'antwoord op de escalatie',
  afsluiting: 'afsluiting',
  termijnsignaal: 'termijnsignaal',
  bericht: 'bericht',
  verantwoordelijk: 'zicht op veiligheid gaat over',
  'bericht.accepted': 'aangenomen door de gateway',
  'delivery.delivered': 'afgeleverd',
  'delivery.acknowledged': 'ontvangst bevestigd',
  'delivery.dead-letter': 'onbestelbaar',
  'delivery.requeued': 'opnieuw aangeboden door de beheerder',
  'termijn.verlopen': 'termijn verstreken',
  'dossier.expired': 'bewaartermijn verstreken',
};

/** The sources the rules and profiles cite, by their short name (spec/v1/README.md, section 1). */
const BRONNEN: Readonly<Record<string, string>> = {
  'Z-L': 'Samenwerkingsafspraken Veilig Thuis Zuid-Limburg en gemeenten (2022)',
  'W-B': 'Raadsvoorstel Oosterhout: samenwerkingsafspraken West-Brabant (2022)',
  FS: 'Factsheet minimale samenwerkingsafspraken gemeenten en Veilig Thuis (2016)',
  EIND: 'Eindrapport "Veilig Thuis – de basis op orde" (2017)',
  VNG: 'VNG-handreiking "Werken aan veiligheid" (2023)',
  Zicht: 'de Zicht-standaard zelf, waar de bronnen zwijgen (spec/v1)',
};

/** A cited source: its short name explained (abbr) and its section. */
export function bron(document: string, sectie: string): Html {
  const voluit = BRONNEN[document];
  return html`<cite>${voluit === undefined ? document : html`<abbr title="${voluit}">${document}</abbr>`} ${sectie}</cite>`;
}

/** An event or bericht type in words; an unknown code as code. */
export function gebeurtenis(soort: string): Html {
  const woorden = GEBEURTENIS[soort];
  return woorden === undefined ? html`<code>${soort}</code>` : html`${woorden}`;
}

const TERMIJN_STATUS: Readonly<Record<LedgerTermijn['status'], string>> = { gehaald: 'gehaald', open: 'loopt', gemist: 'gemist', vervallen: 'vervallen' };
const TERMIJN_SOORT: Readonly<Record<string, string>> = { ontvangstbevestiging: 'ontvangstbevestiging', 'eerste-contact': 'eerste contact met het huishouden', monitoring: 'monitoring door Veilig Thuis', 'escalatie-antwoord': 'antwoord op escalatie' };

const TIJD = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' });
const DAG = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', weekday: 'long', day: 'numeric', month: 'short', year: 'numeric' });
const UUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** A time as plain text, in Dutch and Europe/Amsterdam: for labels and titles, where no markup can go. */
export function tijdTekst(value: string | Date): string {
  return TIJD.format(typeof value === 'string' ? new Date(value) : value);
}

/** A time as the console shows it: Dutch date and time in Europe/Amsterdam, with the ISO instant for machines. */
export function tijd(value: string | Date | undefined): Html {
  if (value === undefined) return html`<span class="leeg">—</span>`;
  const d = typeof value === 'string' ? new Date(value) : value;
  return html`<time datetime="${d.toISOString()}">${tijdTekst(d)}</time>`;
}

/**
 * The end of a term as people say it: a term that ends at midnight in Amsterdam ends at the end of the day
 * before ("einde van vrijdag 11 dec. 2026"), not at "12 dec. 2026, 00:00"; any other end is shown as a time.
 */
export function uiterlijk(value: string | Date): Html {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (UUR.format(d) !== '00:00:00') return tijd(d);
  return html`<time datetime="${d.toISOString()}">einde van ${DAG.format(new Date(d.getTime() - 1))}</time>`;
}

/** Names of the participants by OIN, for showing who is who. */
export type Namen = ReadonlyMap<string, Deelnemer>;

/** An organisation as shown: its name and role, with the OIN for reference. */
export function org(namen: Namen, oin: string): Html {
  const d = namen.get(oin);
  return d ? html`<span class="org">${d.naam}</span> <span class="oin">(${ROL[d.rol]}, OIN ${oin})</span>` : html`<span class="oin">OIN ${oin}</span>`;
}

const NAV: readonly { href: string; label: string; roles?: readonly DeelnemerRol[] }[] = [
  { href: '/console', label: 'Berichten' },
  { href: '/console/dossiers', label: 'Dossiers', roles: ['vt', 'gemeente', 'lokaal-team', 'gi', 'auditor'] },
  { href: '/console/signalen', label: 'Termijnen en escalaties', roles: ['vt', 'gemeente', 'lokaal-team', 'gi', 'auditor'] },
  { href: '/console/afleverfouten', label: 'Afleverfouten' },
  { href: '/console/deelnemers', label: 'Deelnemers' },
  { href: '/console/auditlog', label: 'Auditlog' },
  { href: '/console/regels', label: 'Regels' },
];

/** The page around every view. */
export function layout(title: string, session: ConsoleSession | undefined, body: Body, options: { current?: string; script?: string } = {}): Html {
  return html`<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Zicht-console</title>
<link rel="stylesheet" href="/console/static/console.css">
${options.script === undefined ? '' : html`<script src="${options.script}" defer></script>`}
</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header>
<p class="merk">Zicht-console</p>
${session === undefined
    ? ''
    : html`<nav aria-label="Hoofdmenu"><ul>${NAV.filter((n) => n.roles === undefined || n.roles.includes(session.rol)).map(
        (n) => html`<li><a href="${n.href}"${n.href === options.current ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`,
      )}</ul></nav>
<form method="post" action="/console/uitloggen" class="uit"><input type="hidden" name="csrf" value="${session.csrf}">
<p>Ingelogd als <strong>${session.naam}</strong> (${ROL[session.rol]}) <button type="submit">Uitloggen</button></p></form>`}
</header>
<main id="inhoud" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** The status of each receiver of a bericht. */
function ontvangers(namen: Namen, deliveries: readonly Delivery[]): Html {
  return html`<ul class="ontvangers">${deliveries.map(
    (d) => html`<li data-ontvanger="${d.receiverOin}" data-status="${d.status}">${org(namen, d.receiverOin)}: <span class="status status-${d.status}">${STATUS[d.status]}</span>${d.attempts > 0 ? html` · ${d.attempts} mislukte poging${d.attempts === 1 ? '' : 'en'}` : ''}${d.lastErrorCode === undefined ? '' : html` · laatste fout <code>${d.lastErrorCode}</code>`}${d.acknowledgedAt ? html` · bevestigd ${tijd(d.acknowledgedAt)}` : ''}</li>`,
  )}</ul>`;
}

/** The berichten overview's filter as the page shows it back (the query parameters). */
export interface BerichtenFilterWaarden {
  readonly soort?: string;
  readonly status?: string;
  readonly van?: string;
  readonly tot?: string;
  readonly voor?: number;
}

/** The filter form of the berichten overview (GET, so a filtered view is a link). */
function berichtenFilterForm(f: BerichtenFilterWaarden): Html {
  const optie = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${current === value ? raw(' selected') : ''}>${label}</option>`;
  return html`<form method="get" action="/console" class="filter" aria-label="Berichten filteren">
<p><label for="soort">Soort</label><br><select id="soort" name="soort">${optie('', 'alle soorten', f.soort)}${BERICHT_TYPES.map((t) => optie(t, GEBEURTENIS[t] ?? t, f.soort))}</select></p>
<p><label for="status">Status bij een ontvanger</label><br><select id="status" name="status">${optie('', 'elke status', f.status)}${(Object.keys(STATUS) as DeliveryStatus[]).map((st) => optie(st, STATUS[st], f.status))}</select></p>
<p><label for="van">Ontvangen vanaf</label><br><input id="van" name="van" type="date" value="${f.van ?? ''}"></p>
<p><label for="tot">tot en met</label><br><input id="tot" name="tot" type="date" value="${f.tot ?? ''}"></p>
<p><button type="submit">Filteren</button> <a href="/console">Alles tonen</a></p>
</form>`;
}

/** The berichten overview: newest first, with the status per receiver, filtered and paged. */
export function berichtenView(namen: Namen, rows: readonly { bericht: StoredBericht; deliveries: Delivery[]; seq: number }[], toonDossiers: boolean, filter: BerichtenFilterWaarden = {}, pagina = rows.length): Html {
  const gefilterd = filter.soort !== undefined || filter.status !== undefined || filter.van !== undefined || filter.tot !== undefined;
  const laatste = rows.at(-1);
  const volgende = laatste !== undefined && rows.length >= pagina ? `/console?${new URLSearchParams({ ...(filter.soort === undefined ? {} : { soort: filter.soort }), ...(filter.status === undefined ? {} : { status: filter.status }), ...(filter.van === undefined ? {} : { van: filter.van }), ...(filter.tot === undefined ? {} : { tot: filter.tot }), voor: String(laatste.seq) }).toString()}` : undefined;
  const tabel = rows.length === 0
    ? html`<p>${gefilterd || filter.voor !== undefined ? 'Geen berichten die aan dit filter voldoen.' : 'Er zijn nog geen berichten.'}</p>`
    : html`<table>
<caption>${filter.voor === undefined ? 'De laatste' : 'Oudere'} ${rows.length} berichten${gefilterd ? ' die aan het filter voldoen' : ''}, nieuwste eerst. Alleen metagegevens: de inhoud van een bericht staat nooit in de console.</caption>
<thead><tr><th scope="col">Ontvangen door de gateway</th><th scope="col">Soort</th><th scope="col">Dossier</th><th scope="col">Verzender</th><th scope="col">Status per ontvanger</th></tr></thead>
<tbody>${rows.map(
    ({ bericht, deliveries }) => html`<tr data-bericht="${bericht.berichtId}">
<td>${tijd(bericht.receivedAt)}</td><td><a href="/console/berichten/${bericht.berichtId}">${gebeurtenis(bericht.berichtType)}</a><br><code class="id">${bericht.berichtId}</code></td>
<td>${toonDossiers ? html`<a href="/console/dossiers/${bericht.dossierReferentie}">${bericht.dossierReferentie}</a>` : bericht.dossierReferentie}</td>
<td>${org(namen, bericht.senderOin)}</td><td>${ontvangers(namen, deliveries)}</td></tr>`,
  )}</tbody></table>`;
  return html`${berichtenFilterForm(filter)}${tabel}${volgende === undefined ? '' : html`<p><a href="${volgende}" rel="next">Oudere berichten</a></p>`}`;
}

/** The dossiers overview's filter as the page shows it back (the query parameters). */
export interface DossiersFilterWaarden {
  readonly zoek?: string;
  readonly gemeente?: string;
  readonly stand?: string;
}

const STAND: Readonly<Record<string, string>> = { lopend: 'lopend', afgesloten: 'afgesloten' };

/** The dossiers overview: per dossier who holds zicht now, its state and its missed terms; searchable, filtered and paged. */
export function dossiersView(namen: Namen, pagina: DossierPagina, filter: DossiersFilterWaarden, gemeenten: readonly Deelnemer[], vorigePagina: boolean): Html {
  const optie = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${current === value ? raw(' selected') : ''}>${label}</option>`;
  const gefilterd = filter.zoek !== undefined || filter.gemeente !== undefined || filter.stand !== undefined;
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...(filter.zoek === undefined ? {} : { zoek: filter.zoek }), ...(filter.gemeente === undefined ? {} : { gemeente: filter.gemeente }), ...(filter.stand === undefined ? {} : { stand: filter.stand }), ...extra }).toString();
  const naam = (oin: string) => namen.get(oin)?.naam ?? `OIN ${oin}`;
  const houder = (r: DossierRij) => {
    const v = r.stand.verantwoordelijke;
    if (r.stand.stand === 'afgesloten') return html`niemand meer (afgesloten ${tijd(r.stand.afgeslotenOp)})`;
    if (v === undefined) return html`nog niemand${r.stand.begintOp === undefined ? '' : html` (Veilig Thuis vanaf ${tijd(r.stand.begintOp)})`}`;
    return html`<strong>${naam(v.oin)}</strong>, sinds ${tijd(v.sinds)}`;
  };
  const form = html`<form method="get" action="/console/dossiers" class="filter" aria-label="Dossiers zoeken en filteren">
<p><label for="zoek">Referentie (of een deel ervan)</label><br><input id="zoek" name="zoek" type="search" maxlength="64" value="${filter.zoek ?? ''}" autocomplete="off" spellcheck="false"></p>
<p><label for="gemeente">Gemeente of team</label><br><select id="gemeente" name="gemeente">${optie('', 'alle', filter.gemeente)}${gemeenten.map((g) => optie(g.oin, `${g.naam} (${ROL[g.rol]})`, filter.gemeente))}</select></p>
<p><label for="stand">Stand</label><br><select id="stand" name="stand">${optie('', 'lopend en afgesloten', filter.stand)}${Object.entries(STAND).map(([k, v]) => optie(k, v, filter.stand))}</select></p>
<p><button type="submit">Zoeken</button> <a href="/console/dossiers">Alles tonen</a></p>
</form>`;
  const tabel = pagina.rijen.length === 0
    ? html`<p>${gefilterd ? 'Geen dossiers die aan dit filter voldoen.' : 'Er zijn geen dossiers die u mag inzien.'}</p>`
    : html`<table class="dossiers"><caption>${vorigePagina ? 'Oudere' : 'De laatste'} ${pagina.rijen.length} dossiers${gefilterd ? ' die aan het filter voldoen' : ''}, met de laatste activiteit eerst. Dossiers heten naar hun pseudonieme referentie, nooit naar personen.</caption>
<thead><tr><th scope="col">Dossier</th><th scope="col">Zicht op veiligheid nu</th><th scope="col">Stand</th><th scope="col">Gemiste termijnen</th><th scope="col">Lopende termijnen</th><th scope="col">Laatste bericht</th></tr></thead>
<tbody>${pagina.rijen.map(
    (r) => html`<tr data-dossier="${r.referentie}" data-stand="${r.stand.stand}"${r.stand.verantwoordelijke === undefined ? '' : html` data-houder="${r.stand.verantwoordelijke.oin}"`} data-gemist="${r.gemist}">
<th scope="row"><a href="/console/dossiers/${r.referentie}">${r.referentie}</a></th><td>${houder(r)}</td><td>${r.stand.stand === 'afgesloten' ? 'afgesloten' : r.stand.stand === 'nog-niet-begonnen' ? 'nog niet begonnen' : 'lopend'} <span class="klein">(${r.profiel})</span></td>
<td>${r.gemist === 0 ? '0' : html`<span class="termijn termijn-gemist">${r.gemist} gemist</span>`}</td><td>${r.open}</td><td>${tijd(r.laatsteOp)}</td></tr>`,
  )}</tbody></table>`;
  return html`${form}${tabel}${pagina.volgende === undefined ? '' : html`<p><a href="/console/dossiers?${query({ voor: String(pagina.volgende) })}" rel="next">Oudere dossiers</a></p>`}`;
}

const KLEUREN = ['#1f4e79', '#7a3b00', '#2f5f2f', '#5b2a6e', '#6b4f00'];

/** The responsibility band: who held zicht op veiligheid from when to when (an SVG, with the same facts in a table). */
function band(namen: Namen, ledger: Ledger): Html {
  const perioden = ledger.perioden;
  const first = perioden[0];
  if (first === undefined) return html`<p>Nog niemand is verantwoordelijk: er is geen overdracht.</p>`;
  const start = Date.parse(first.van);
  const eind = Math.max(Date.parse(ledger.afgeslotenOp ?? ledger.nu), start + 1);
  const kleur = new Map<string, string>();
  for (const p of perioden) if (!kleur.has(p.verantwoordelijke.oin)) kleur.set(p.verantwoordelijke.oin, KLEUREN[kleur.size % KLEUREN.length] ?? '#000');
  // Widths in proportion to time, but every period at least a visible share: a handover accepted an hour ago
  // after months of VT's responsibility must still show as a change of hands.
  const raw = perioden.map((p) => Math.max(0, (p.tot === undefined ? eind : Date.parse(p.tot)) - Date.parse(p.van)) / (eind - start));
  const floor = Math.min(0.15, 0.5 / perioden.length);
  const lifted = raw.map((r) => Math.max(r, floor));
  const total = lifted.reduce((a, b) => a + b, 0);
  const widths = lifted.map((w) => (w / total) * 100);
  const xs = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
  const naam = (p: Periode) => namen.get(p.verantwoordelijke.oin)?.naam ?? `OIN ${p.verantwoordelijke.oin}`;
  const samenvatting = perioden.map((p) => `${naam(p)} vanaf ${tijdTekst(p.van)}`).join('; ');
  return html`<figure class="band">
<svg role="img" aria-label="Verantwoordelijkheid over de tijd: ${samenvatting}" viewBox="0 0 100 12" preserveAspectRatio="none" width="100%" height="48">
${perioden.map(
    (p, i) => html`<rect class="periode" data-oin="${p.verantwoordelijke.oin}" x="${(xs[i] ?? 0).toFixed(3)}" y="0" width="${(widths[i] ?? 0).toFixed(3)}" height="12" fill="${kleur.get(p.verantwoordelijke.oin) ?? '#000'}" stroke="#fff" stroke-width="0.3"><title>${naam(p)}: ${tijdTekst(p.van)} tot ${p.tot === undefined ? 'nu' : tijdTekst(p.tot)}</title></rect>`,
  )}
</svg>
<figcaption><ul class="legenda">${[...kleur].map(([oin, k]) => html`<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="${k}"></rect></svg> ${namen.get(oin)?.naam ?? `OIN ${oin}`}</li>`)}</ul>
Elke periode is naar duur getekend, met een minimale breedte zodat elke overgang zichtbaar is; de tabel geeft de precieze tijden. Van ${tijd(first.van)} tot ${ledger.afgeslotenOp ? html`de afsluiting ${tijd(ledger.afgeslotenOp)}` : html`nu (${tijd(ledger.nu)})`}.</figcaption>
</figure>
<table class="perioden">
<caption>Wie had zicht op veiligheid, van wanneer tot wanneer, volgens het regioprofiel ${ledger.profiel}, met het bewijs</caption>
<thead><tr><th scope="col">Verantwoordelijk</th><th scope="col">Van</th><th scope="col">Tot</th><th scope="col">Regel en bron</th><th scope="col">Bewijs (berichten)</th></tr></thead>
<tbody>${perioden.map(
    (p) => html`<tr data-oin="${p.verantwoordelijke.oin}"><td>${org(namen, p.verantwoordelijke.oin)}</td><td>${tijd(p.van)}</td><td>${p.tot === undefined ? 'nu' : tijd(p.tot)}</td>
<td><code>${p.verantwoordelijke.regel.regel}</code> (${regelNl(p.verantwoordelijke.regel.regel)}): ${toelichting(namen, p.verantwoordelijke.regel.toelichting)}<br>${bron(p.verantwoordelijke.regel.bron.document, p.verantwoordelijke.regel.bron.sectie)}: <q lang="nl">${p.verantwoordelijke.regel.bron.citaat}</q></td>
<td><ul>${p.verantwoordelijke.berichten.map((id) => html`<li><a href="/console/berichten/${id}"><code class="id">${id}</code></a></li>`)}</ul></td></tr>`,
  )}</tbody></table>`;
}

/** The terms of one or more dossiers. */
export function termijnenTabel(namen: Namen, rows: readonly { dossier?: string; termijn: LedgerTermijn }[], caption: string): Html {
  if (rows.length === 0) return html`<p>Geen termijnen.</p>`;
  const metDossier = rows.some((r) => r.dossier !== undefined);
  return html`<table class="termijnen"><caption>${caption}</caption>
<thead><tr>${metDossier ? html`<th scope="col">Dossier</th>` : ''}<th scope="col">Termijn</th><th scope="col">Moet handelen</th><th scope="col">Uiterlijk</th><th scope="col">Stand</th><th scope="col">Bron</th></tr></thead>
<tbody>${rows.map(
    ({ dossier, termijn: t }) => html`<tr data-soort="${t.soort}" data-status="${t.status}">${metDossier ? html`<td><a href="/console/dossiers/${dossier ?? ''}">${dossier}</a></td>` : ''}
<td>${TERMIJN_SOORT[t.soort] ?? t.soort}${t.maand === undefined ? '' : html` (maand ${t.maand})`}</td><td>${org(namen, t.moetHandelen)}</td><td>${uiterlijk(t.uiterlijk)}</td>
<td><span class="termijn termijn-${t.status}">${TERMIJN_STATUS[t.status]}</span>${t.gehaaldOp ? html` op ${tijd(t.gehaaldOp)}` : ''}</td><td>${bron(t.bron.document, t.bron.sectie)}</td></tr>`,
  )}</tbody></table>`;
}

/** When a handover passes zicht, in words (the profile's `bij`). */
const BIJ: Readonly<Record<string, string>> = { acceptatie: 'bij acceptatie', ontvangst: 'bij ontvangst', termijn: 'na een termijn' };

const TEAM_STATUS: Readonly<Record<string, string>> = { wacht: 'nog geen antwoord', ontvangen: 'ontvangen', geaccepteerd: 'geaccepteerd', 'niet-geaccepteerd': 'niet geaccepteerd' };

/**
 * Where each handover stands now: its receivers, what they confirmed, the lead they named (afstemming,
 * Z-L 5.2.4) and who holds zicht by it; the same answer as the API's (src/lifecycle/verantwoordelijkheid.ts).
 */
function overdrachten(namen: Namen, stand: Verantwoordelijkheid): Html {
  if (stand.overdrachten.length === 0) return html``;
  return html`<table class="overdrachten"><caption>Overdrachten: wat elke ontvanger bevestigde en, bij meer gemeenten, wie zij samen de regie gaven (afstemming, Z-L 5.2.4)</caption>
<thead><tr><th scope="col">Overdracht</th><th scope="col">Ontvanger</th><th scope="col">Antwoord</th><th scope="col">Voldoet aan de regel</th><th scope="col">Noemt als regie</th></tr></thead>
<tbody>${stand.overdrachten.flatMap((o) =>
    o.teams.map(
      (t, i) => html`<tr data-overdracht="${o.overdracht}" data-oin="${t.oin}" data-status="${t.status}"${t.regie === undefined ? '' : html` data-regie="${t.regie}"`}>${i === 0 ? html`<td rowspan="${o.teams.length}"><a href="/console/berichten/${o.overdracht}"><code class="id">${o.overdracht}</code></a><br><code>${o.regel}</code> (${BIJ[o.bij] ?? o.bij}${o.meerdereGemeenten ? ', meerdere gemeenten' : ''}): zicht bij ${org(namen, o.houder)}; ${toelichting(namen, o.toelichting)}</td>` : ''}
<td>${org(namen, t.oin)}</td><td>${TEAM_STATUS[t.status] ?? t.status}</td><td>${t.voldaan ? 'ja' : 'nee'}</td><td>${t.regie === undefined ? '—' : org(namen, t.regie)}</td></tr>`,
    ),
  )}</tbody></table>`;
}

/** A rule id as the console shows it: linked to the rules page, with its Dutch text. */
export function regel(id: string): Html {
  const tekst = regelTekstNl(id);
  return html`<a href="/console/regels#${id}"><code>${id}</code></a>${tekst === undefined ? '' : html`: ${tekst}`}`;
}

/** An explanation of the ledger in Dutch; an unknown (English) one marked as English. */
function toelichting(namen: Namen, tekst: string): Html {
  const nl = toelichtingNl(tekst, (oin) => namen.get(oin)?.naam ?? `OIN ${oin}`);
  return nl === undefined ? html`<span lang="en">${tekst}</span>` : html`${nl}`;
}

/** A bericht as evidence: its type in words linked to its page, its sender, and when the gateway received it. */
export function bewijsLink(namen: Namen, b: Bewijs): Html {
  return html`<a href="/console/berichten/${b.berichtId}">${gebeurtenis(b.soort)}</a>${b.verzender === '' ? '' : html` van ${namen.get(b.verzender)?.naam ?? `OIN ${b.verzender}`}`}${b.ontvangenOp === undefined ? '' : html`, ontvangen door de gateway ${tijd(b.ontvangenOp)}`}${b.verzondenOp === undefined ? '' : html` (verzonden volgens de afzender ${tijd(b.verzondenOp)})`}`;
}

/** A bericht in a warning: its type in words linked to its page, and when the gateway received it. */
function berichtKort(b: Bewijs): Html {
  return html`<a href="/console/berichten/${b.berichtId}">${gebeurtenis(b.soort)}</a>${b.ontvangenOp === undefined ? '' : html` van ${tijd(b.ontvangenOp)}`}`;
}

/** A term in one line: what, who must act, by when, and where it stands. */
function termijnRegel(namen: Namen, t: LedgerTermijn): Html {
  return html`<li data-soort="${t.soort}" data-status="${t.status}"><span class="termijn termijn-${t.status}">${TERMIJN_STATUS[t.status]}</span> ${TERMIJN_SOORT[t.soort] ?? t.soort}${t.maand === undefined ? '' : html` (maand ${t.maand})`} door ${namen.get(t.moetHandelen)?.naam ?? `OIN ${t.moetHandelen}`}, uiterlijk ${uiterlijk(t.uiterlijk)} (${bron(t.bron.document, t.bron.sectie)})</li>`;
}

/** One warning in words. */
function waarschuwing(namen: Namen, w: Waarschuwing): Html {
  const naam = (oin: string) => namen.get(oin)?.naam ?? `OIN ${oin}`;
  switch (w.soort) {
    case 'onbestelbaar':
      return html`<li data-waarschuwing="onbestelbaar" data-bericht="${w.bericht.berichtId}" data-ontvanger="${w.delivery.receiverOin}"><strong>Nooit aangekomen:</strong> ${naam(w.delivery.receiverOin)} kreeg de ${berichtKort(w.bericht)} van ${naam(w.bericht.verzender)} niet; onbestelbaar${w.delivery.failedAt === undefined ? '' : html` sinds ${tijd(w.delivery.failedAt)}`} na ${w.delivery.attempts} mislukte poging${w.delivery.attempts === 1 ? '' : 'en'}${w.delivery.lastErrorCode === undefined ? '' : html` (laatste fout <code>${w.delivery.lastErrorCode}</code>)`}. Een beheerder kan het opnieuw aanbieden (<a href="/console/afleverfouten">Afleverfouten</a>).</li>`;
    case 'niet-afgeleverd':
      return html`<li data-waarschuwing="niet-afgeleverd" data-bericht="${w.bericht.berichtId}" data-ontvanger="${w.delivery.receiverOin}"><strong>Nog niet afgeleverd:</strong> de ${berichtKort(w.bericht)} van ${naam(w.bericht.verzender)} ${w.delivery.mode === 'pull' ? 'ligt nog ongelezen in de postbus van' : 'staat nog in de wachtrij voor'} ${naam(w.delivery.receiverOin)}${w.delivery.attempts > 0 ? html` (${w.delivery.attempts} mislukte poging${w.delivery.attempts === 1 ? '' : 'en'}${w.delivery.lastErrorCode === undefined ? '' : html`, laatste fout <code>${w.delivery.lastErrorCode}</code>`})` : ''}.</li>`;
    case 'termijn-gemist':
      return html`<li data-waarschuwing="termijn-gemist" data-soort="${w.termijn.soort}"><strong>Termijn gemist:</strong> ${TERMIJN_SOORT[w.termijn.soort] ?? w.termijn.soort} door ${naam(w.termijn.moetHandelen)}, uiterlijk ${uiterlijk(w.termijn.uiterlijk)}${w.termijn.gehaaldOp === undefined ? ', nog niet gedaan' : html`, te laat gedaan op ${tijd(w.termijn.gehaaldOp)}`} (${bron(w.termijn.bron.document, w.termijn.bron.sectie)}).</li>`;
    case 'sleutel-ingetrokken': {
      const na = w.bericht.ontvangenOp === undefined || Date.parse(w.ingetrokkenOp) > w.bericht.ontvangenOp.getTime();
      return html`<li data-waarschuwing="sleutel-ingetrokken" data-bericht="${w.bericht.berichtId}"><strong>Sleutel ingetrokken:</strong> de sleutel waarmee ${naam(w.bericht.verzender)} de ${berichtKort(w.bericht)} ondertekende (<code class="id">${w.kid.slice(0, 12)}…</code>) is ingetrokken op ${tijd(w.ingetrokkenOp)}, ${na ? 'na' : 'vóór'} de ontvangst door de gateway. Het bewijs rust op een sleutel die niet meer geldt (${regel('SIG-003')}).</li>`;
    }
    case 'geweigerd':
      return html`<li data-waarschuwing="geweigerd" data-bericht="${w.bericht.berichtId}"><strong>Telt niet mee:</strong> de ${berichtKort(w.bericht)}${w.bericht.verzender === '' ? '' : html` van ${naam(w.bericht.verzender)}`} breekt een regel van het dossier en veranderde niets: <ul>${w.issues.map((i) => html`<li>${regel(i.rule)}</li>`)}</ul></li>`;
  }
}

/** The answer first: who holds zicht op veiligheid now, since when, by which rule, on which berichten; terms and warnings beside it. */
export function antwoordView(namen: Namen, ledger: Ledger, a: DossierAntwoord): Html {
  const v = a.stand.verantwoordelijke;
  const naam = (oin: string) => namen.get(oin)?.naam ?? `OIN ${oin}`;
  const wie =
    a.stand.stand === 'verantwoordelijk' && v !== undefined
      ? html`<p class="houder" data-stand="verantwoordelijk" data-houder="${v.oin}"><strong>${naam(v.oin)}</strong> (${ROL[namen.get(v.oin)?.rol ?? v.rol]}) heeft nu zicht op veiligheid, sinds ${tijd(v.sinds)}.${v.mede === undefined || v.mede.length === 0 ? '' : html` Afgestemd met ${v.mede.map(naam).join(', ')}, die ${naam(v.oin)} de regie gaven.`}</p>`
      : a.stand.stand === 'afgesloten'
        ? html`<p class="houder" data-stand="afgesloten"><strong>Niemand meer:</strong> het dossier is afgesloten op ${tijd(a.stand.afgeslotenOp)}.</p>`
        : html`<p class="houder" data-stand="nog-niet-begonnen"><strong>Nog niemand:</strong> ${a.stand.begintOp === undefined ? 'er is geen overdracht.' : html`Veilig Thuis wordt verantwoordelijk vanaf ${tijd(a.stand.begintOp)}.`}</p>`;
  const waarom =
    v === undefined
      ? ''
      : html`<p class="regel">Volgens regioprofiel <strong>${ledger.profiel}</strong>, regel <code>${v.regel.regel}</code> (${regelNl(v.regel.regel)}): ${toelichting(namen, v.regel.toelichting)}.</p>
<blockquote class="citaat" lang="nl"><p>${v.regel.bron.citaat}</p><footer>${bron(v.regel.bron.document, v.regel.bron.sectie)}</footer></blockquote>`;
  const lopend = a.stand.overdrachten.filter((o) => o.houder !== v?.oin || o.teams.some((t) => !t.voldaan));
  return html`<section class="antwoord" aria-labelledby="antwoord-kop">
<div class="antwoord-hoofd">
<h2 id="antwoord-kop">Wie heeft nu zicht op veiligheid?</h2>
${wie}
<p class="stand-van">Stand van ${tijd(ledger.nu)}.</p>
${waarom}
${a.bewijs.length === 0 ? '' : html`<h3>Bewijs</h3><ul class="bewijs">${a.bewijs.map((b) => html`<li data-bericht="${b.berichtId}">${bewijsLink(namen, b)}</li>`)}</ul>`}
${lopend.length === 0 ? '' : html`<h3>Overdrachten die nog niet rond zijn</h3><ul class="lopend">${lopend.map((o) => html`<li data-overdracht="${o.overdracht}">${toelichting(namen, o.toelichting)}${o.meerdereGemeenten ? html` (${regel('VRW-003')})` : ''}</li>`)}</ul>`}
${a.stand.stand === 'verantwoordelijk' ? html`<p class="klein">Afsluiten mag alleen wie nu zicht heeft (${regel('LVC-011')}).</p>` : ''}
</div>
<aside class="antwoord-naast" aria-labelledby="naast-kop">
<h3 id="naast-kop">Termijnen: gemist en lopend</h3>
${a.gemist.length + a.open.length === 0 ? html`<p>Geen gemiste of lopende termijnen.</p>` : html`<ul class="termijnen-kort">${[...a.gemist, ...a.open].map((t) => termijnRegel(namen, t))}</ul>`}
<h3>Waarschuwingen</h3>
${a.waarschuwingen.length === 0
    ? html`<p class="geen-waarschuwingen">Geen waarschuwingen: elke ontvanger kreeg de overdracht, geen termijn is gemist en de sleutels van het bewijs zijn niet ingetrokken.</p>`
    : html`<ul class="waarschuwingen">${a.waarschuwingen.map((w) => waarschuwing(namen, w))}</ul>`}
</aside>
</section>`;
}

/** One dossier: the answer first, then the responsibility band, the handovers and their afstemming, the terms and the timeline. */
export function dossierView(namen: Namen, ledger: Ledger, antwoord: DossierAntwoord): Html {
  return html`${antwoordView(namen, ledger, antwoord)}
<h2>Verloop van de verantwoordelijkheid</h2>
<p>Regioprofiel: <strong>${ledger.profiel}</strong>.${ledger.vtVerantwoordelijkSinds ? html` Veilig Thuis werd verantwoordelijk op ${tijd(ledger.vtVerantwoordelijkSinds)}.` : ''}${ledger.afgeslotenOp ? html` Afgesloten op ${tijd(ledger.afgeslotenOp)}.` : ''}</p>
${band(namen, ledger)}
${overdrachten(namen, antwoord.stand)}
<h2>Termijnen</h2>
${termijnenTabel(namen, ledger.termijnen.map((termijn) => ({ termijn })), 'Termijnen van dit dossier: gehaald, lopend of gemist')}
<h2>Tijdlijn</h2>
<table class="tijdlijn"><caption>Berichten en gebeurtenissen van dit dossier in de tijd (alleen metagegevens)</caption>
<thead><tr><th scope="col">Wanneer</th><th scope="col">Wat</th><th scope="col">Wie</th><th scope="col">Bericht</th></tr></thead>
<tbody>${ledger.tijdlijn.map((g) => html`<tr><td>${tijd(g.op)}</td><td>${gebeurtenis(g.soort)}</td><td>${org(namen, g.oin)}</td><td>${g.berichtId === '' ? '—' : html`<a href="/console/berichten/${g.berichtId}"><code class="id">${g.berichtId}</code></a>`}</td></tr>`)}</tbody></table>`;
}

/** One bericht's metadata: what, from whom, when, its signature key now, each receiver's status and the gateway's events. */
export function berichtView(options: {
  readonly namen: Namen;
  readonly bericht: StoredBericht;
  readonly soort: string;
  readonly verzondenOp?: string;
  readonly kid?: string;
  readonly deliveries: readonly Delivery[];
  readonly events: readonly StoreEvent[];
  readonly toonDossier: boolean;
  readonly nu: Date;
}): Html {
  const { namen, bericht: b } = options;
  const sleutel = options.kid === undefined ? undefined : namen.get(b.senderOin)?.sleutels.find((s) => s.kid === options.kid);
  const ingetrokken = sleutel?.revokedAt !== undefined && Date.parse(sleutel.revokedAt) <= options.nu.getTime();
  return html`<dl class="bericht">
<dt>Soort</dt><dd>${gebeurtenis(options.soort)}</dd>
<dt>Bericht-id</dt><dd><code class="id">${b.berichtId}</code></dd>
<dt>Dossier</dt><dd>${options.toonDossier ? html`<a href="/console/dossiers/${b.dossierReferentie}">${b.dossierReferentie}</a>` : b.dossierReferentie} (volgnummer ${b.volgnummer})</dd>
<dt>Verzender</dt><dd>${org(namen, b.senderOin)}</dd>
<dt>Ontvangen door de gateway</dt><dd>${tijd(b.receivedAt)}</dd>
<dt>Verzonden volgens de afzender</dt><dd>${options.verzondenOp === undefined ? '—' : tijd(options.verzondenOp)} <span class="klein">(een bewering van de afzender; de ontvangst door de gateway is het bewijs)</span></dd>
${b.inAntwoordOp === undefined ? '' : html`<dt>Antwoord op</dt><dd><a href="/console/berichten/${b.inAntwoordOp}"><code class="id">${b.inAntwoordOp}</code></a></dd>`}
<dt>Ondertekend met</dt><dd>${options.kid === undefined ? 'niet meer te zien (de inhoud is verwijderd na de bewaartermijn)' : html`sleutel <code class="id">${options.kid.slice(0, 12)}…</code>: ${sleutel === undefined ? 'niet (meer) in het register' : ingetrokken ? html`<strong data-sleutel="ingetrokken">ingetrokken op ${tijd(sleutel.revokedAt)}</strong>` : 'niet ingetrokken'}`}</dd>
${b.purgedAt === undefined ? '' : html`<dt>Inhoud verwijderd</dt><dd>${tijd(b.purgedAt)}</dd>`}
</dl>
<h2>Ontvangers</h2>
${options.deliveries.length === 0 ? html`<p>Geen ontvangers.</p>` : ontvangers(namen, options.deliveries)}
<h2>Gebeurtenissen bij de gateway</h2>
${options.events.length === 0
    ? html`<p>Geen gebeurtenissen.</p>`
    : html`<table class="gebeurtenissen"><caption>Wat de gateway met dit bericht deed (alleen metagegevens)</caption><thead><tr><th scope="col">Wanneer</th><th scope="col">Wat</th><th scope="col">Wie</th></tr></thead>
<tbody>${options.events.map((e) => html`<tr data-type="${e.type}"><td>${tijd(e.at)}</td><td>${gebeurtenis(e.type)}</td><td>${org(namen, e.oin)}</td></tr>`)}</tbody></table>`}`;
}

/** Every rule of the standard, in Dutch, with its sources: where the rule ids on other pages link to. */
export function regelsView(): Html {
  return html`<p>De regels van de Zicht-standaard (spec/v1/rules.md), elk met een vaste id. Foutmeldingen en pagina's van de console verwijzen ernaar.</p>
<table class="regels"><caption>Regels van de standaard, in het Nederlands</caption><thead><tr><th scope="col">Regel</th><th scope="col">Wat de regel zegt</th><th scope="col">Bron</th></tr></thead>
<tbody>${catalogue.map((r) => html`<tr id="${r.id}"><th scope="row"><code>${r.id}</code></th><td>${regelTekstNl(r.id) ?? html`<span lang="en">${r.text}</span>`}</td><td>${r.sources.map((s, i) => html`${i === 0 ? '' : ', '}${bron(s.document, s.section)}`)}</td></tr>`)}</tbody></table>`;
}

/** Dead letters, with the operator's retry (which asks for confirmation first). */
export function afleverfoutenView(namen: Namen, failed: readonly { delivery: Delivery; bericht: StoredBericht | undefined }[], session: ConsoleSession): Html {
  if (failed.length === 0) return html`<p>Er zijn geen onbestelbare berichten.</p>`;
  const operator = session.rol === 'operator';
  return html`<p>Een bericht is onbestelbaar als de ontvanger het weigerde of niet bereikbaar was binnen de herhaaltermijn.${operator ? ' Zet het opnieuw in de wachtrij zodra de ontvanger het probleem heeft opgelost.' : ' Alleen een beheerder kan een bericht opnieuw aanbieden.'}</p>
<table class="afleverfouten"><caption>Onbestelbare berichten</caption>
<thead><tr><th scope="col">Bericht</th><th scope="col">Dossier</th><th scope="col">Van</th><th scope="col">Ontvanger</th><th scope="col">Pogingen</th><th scope="col">Laatste fout</th><th scope="col">Sinds</th>${operator ? html`<th scope="col">Actie</th>` : ''}</tr></thead>
<tbody>${failed.map(
    ({ delivery: d, bericht: b }) => html`<tr data-bericht="${d.berichtId}" data-ontvanger="${d.receiverOin}"><td>${b === undefined ? 'onbekend' : html`<a href="/console/berichten/${d.berichtId}">${gebeurtenis(b.berichtType)}</a>`}<br><code class="id">${d.berichtId}</code></td><td>${b?.dossierReferentie ?? '—'}</td><td>${b === undefined ? '—' : org(namen, b.senderOin)}</td><td>${org(namen, d.receiverOin)}</td><td>${d.attempts}</td><td><code>${d.lastErrorCode ?? '—'}</code></td><td>${tijd(d.failedAt)}</td>
${operator ? html`<td><form method="post" action="/console/afleverfouten/opnieuw"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="berichtId" value="${d.berichtId}"><input type="hidden" name="ontvanger" value="${d.receiverOin}"><button type="submit">Opnieuw aanbieden…</button></form></td>` : ''}</tr>`,
  )}</tbody></table>`;
}

/** What an operator's action will do, before it is done: the consequence in words, and the form that confirms it. */
export function bevestigView(options: { readonly action: string; readonly fields: Readonly<Record<string, string>>; readonly gevolgen: readonly string[]; readonly knop: string; readonly terug: string; readonly csrf: string }): Html {
  return html`<p>Dit gebeurt er als u bevestigt:</p>
<ul class="gevolgen">${options.gevolgen.map((g) => html`<li>${g}</li>`)}</ul>
<p>De actie wordt vastgelegd in het auditlog, met u als beheerder.</p>
<form method="post" action="${options.action}"><input type="hidden" name="csrf" value="${options.csrf}">${Object.entries(options.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}<input type="hidden" name="bevestigd" value="ja">
<button type="submit">${options.knop}</button> <a href="${options.terug}">Annuleren</a></form>`;
}

/** What an operator's action did, and the audit record it made. */
export function gedaanView(options: { readonly melding: string; readonly vastgelegd: string; readonly op: Date; readonly terug: string; readonly terugTekst: string }): Html {
  return html`<p role="status" class="gedaan">${options.melding}</p>
<dl class="vastgelegd"><dt>Vastgelegd in het auditlog</dt><dd>${options.vastgelegd}</dd><dt>Wanneer</dt><dd>${tijd(options.op)}</dd></dl>
<p>Het auditlog neemt de gebeurtenis op in het volgende ondertekende checkpoint; de pagina <a href="/console/auditlog">Auditlog</a> laat het zien.</p>
<p><a href="${options.terug}">${options.terugTekst}</a></p>`;
}

/** The participant registry and the state of each key. */
export function deelnemersView(deelnemers: readonly Deelnemer[], session: ConsoleSession, now: Date): Html {
  const operator = session.rol === 'operator';
  const sleutelStatus = (s: Deelnemer['sleutels'][number]): string => {
    const t = now.getTime();
    if (s.revokedAt !== undefined && Date.parse(s.revokedAt) <= t) return 'ingetrokken';
    if (s.exp !== undefined && Date.parse(s.exp) <= t) return 'verlopen';
    if (s.nbf !== undefined && Date.parse(s.nbf) > t) return 'nog niet geldig';
    return 'geldig';
  };
  return html`<table class="deelnemers"><caption>Deelnemers van het Zicht-netwerk en de status van hun sleutels</caption>
<thead><tr><th scope="col">Organisatie</th><th scope="col">Rol</th><th scope="col">OIN</th><th scope="col">Status</th><th scope="col">Sleutels</th><th scope="col">Aflevering</th>${operator ? html`<th scope="col">Beheer</th>` : ''}</tr></thead>
<tbody>${deelnemers.map(
    (d) => html`<tr data-oin="${d.oin}"><td>${d.naam}</td><td>${ROL[d.rol]}</td><td>${d.oin}</td><td>${d.status === 'actief' ? 'actief' : 'geschorst'}</td>
<td><ul>${d.sleutels.map((s) => html`<li><code class="id">${s.kid.slice(0, 12)}…</code> ${s.jwk.kty}: ${sleutelStatus(s)}${s.exp ? html`, geldig tot ${tijd(s.exp)}` : ''}</li>`)}</ul></td>
<td>${d.afleveradressen.length > 0 ? 'push' : 'postbus'}</td>
${operator ? html`<td>${d.rol === 'gateway' || d.oin === session.oin ? '—' : html`<form method="post" action="/console/deelnemers/status"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="oin" value="${d.oin}"><input type="hidden" name="status" value="${d.status === 'actief' ? 'geschorst' : 'actief'}"><button type="submit">${d.status === 'actief' ? 'Schorsen…' : 'Weer toelaten…'}</button></form>`}</td>` : ''}</tr>`,
  )}</tbody></table>`;
}

/** The audit log: its key, its latest checkpoint, and verifying a bundle in the browser. */
export function auditlogView(key: { origin: string; verifierKey: string }, checkpoint: { size: number; at: Date; note: string } | undefined, logSize: number): Html {
  return html`<h2>Laatste checkpoint</h2>
${checkpoint === undefined
    ? html`<p>Het log heeft nog geen checkpoint.</p>`
    : html`<dl><dt>Omvang van de boom</dt><dd data-checkpoint-size="${checkpoint.size}">${checkpoint.size} bladen</dd><dt>Uitgegeven</dt><dd>${tijd(checkpoint.at)}</dd><dt>Bladen in het log</dt><dd>${logSize}</dd></dl>
<pre class="note" aria-label="Ondertekend checkpoint">${checkpoint.note}</pre>`}
<h2>Logsleutel</h2>
<p>Origin <code>${key.origin}</code>; verificatiesleutel zoals de gateway die publiceert: <code class="sleutel">${key.verifierKey}</code>. Vergelijk deze met de sleutel die u langs een ander kanaal kreeg.</p>
<h2>Auditbundel controleren in uw browser</h2>
<p>De controle draait in uw browser met WebCrypto (Ed25519 en SHA-256), niet op de gateway: de uitkomst hangt niet af van vertrouwen in deze server. Maak een bundel met <code>zicht audit export</code>.</p>
<form id="bundel-form">
<p><label for="sleutel">Vertrouwde logsleutel (verplicht: de sleutel die u buiten deze gateway om kreeg; de sleutel hierboven komt van de gateway zelf)</label><br><input id="sleutel" name="sleutel" type="text" size="80" autocomplete="off" spellcheck="false"></p>
<p><label for="getuigen">Sleutels van getuigen (cosignature/v1, één per regel; leeg: geen eis)</label><br><textarea id="getuigen" name="getuigen" rows="3" cols="80" spellcheck="false" autocomplete="off"></textarea></p>
<p><label for="quorum">Quorum: hoeveel getuigen moeten medeondertekend hebben (leeg: allemaal)</label><br><input id="quorum" name="quorum" type="number" min="1" inputmode="numeric"></p>
<div id="dropzone" class="dropzone"><p><label for="bundel">Kies een auditbundel (JSON) of sleep het bestand hierheen</label><br><input id="bundel" name="bundel" type="file" accept=".json,application/json"></p></div>
</form>
<div id="uitkomst" role="status" aria-live="polite"></div>`;
}

/** The sign-in page: the participant's own credentials, or in demo mode a button per demo participant. */
export function inloggenView(demo: readonly Deelnemer[] | undefined, melding?: string): Html {
  return html`${melding === undefined ? '' : html`<p class="fout" role="alert">${melding}</p>`}
${demo === undefined
    ? ''
    : html`<section aria-labelledby="demo-kop"><h2 id="demo-kop">Demo: inloggen als een deelnemer</h2>
<p>Alleen in het demonetwerk (<code>zicht demo</code>). Buiten de demo logt u in met de sleutel of het certificaat van uw organisatie.</p>
<ul class="demo">${demo.map((d) => html`<li><form method="post" action="/console/inloggen/demo"><input type="hidden" name="oin" value="${d.oin}"><button type="submit">Inloggen als ${d.naam} (${ROL[d.rol]})</button></form></li>`)}</ul></section>`}
<section aria-labelledby="token-kop"><h2 id="token-kop">Inloggen met een ondertekend token</h2>
<p>Plak een bearer token (JWT) dat uw systeem ondertekende met een geregistreerde sleutel van uw organisatie: <code>iss</code> uw OIN, <code>aud</code> de OIN van de gateway, hooguit 5 minuten geldig, eenmalig. U krijgt er een sessie van 30 minuten voor.</p>
<form method="post" action="/console/inloggen"><p><label for="token">Token</label><br><textarea id="token" name="token" rows="4" cols="80" required spellcheck="false" autocomplete="off"></textarea></p><p><button type="submit">Inloggen</button></p></form></section>
<section aria-labelledby="cert-kop"><h2 id="cert-kop">Inloggen met een certificaat</h2>
<p>Met een PKIoverheid-clientcertificaat van uw organisatie (alleen als de gateway TLS met clientcertificaten gebruikt).</p>
<form method="post" action="/console/inloggen/certificaat"><p><button type="submit">Inloggen met certificaat</button></p></form></section>`;
}

/** The console's style sheet: system fonts, high contrast (WCAG AA and better), a visible focus ring. */
export const CONSOLE_CSS = `
:root { color-scheme: light; --tekst: #111; --achter: #fff; --accent: #1f4e79; --rand: #666; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; color: var(--tekst); background: var(--achter); margin: 0; }
header { background: #0b2540; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
header a { color: #fff; } header .merk { font-weight: bold; margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: bold; text-decoration-thickness: 3px; }
.uit { margin-left: auto; } .uit p { margin: 0; }
main { padding: 1rem; max-width: 80rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #0b0c0c; outline-offset: 2px; box-shadow: 0 0 0 2px #ffbf47; }
header :focus-visible { outline-color: #ffbf47; box-shadow: 0 0 0 2px #0b0c0c; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #ffbf47; color: #000; padding: .5rem; z-index: 1; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid var(--rand); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #e8eef4; }
code.id { font-size: .85em; word-break: break-all; } .oin { color: #444; font-size: .9em; }
.ontvangers { margin: 0; padding-left: 1rem; }
.status, .termijn { font-weight: bold; padding: 0 .3rem; border-radius: 3px; }
.status-queued { background: #fff3c4; } .status-delivered { background: #dbeafe; } .status-acknowledged { background: #d7f0d7; } .status-failed, .termijn-gemist { background: #b00020; color: #fff; }
.termijn-gehaald { background: #d7f0d7; } .termijn-open { background: #fff3c4; } .termijn-vervallen { background: #e5e5e5; }
.band svg { border: 1px solid var(--rand); display: block; }
.legenda { list-style: none; padding: 0; display: flex; gap: 1.5rem; flex-wrap: wrap; }
.note, .sleutel { white-space: pre-wrap; word-break: break-all; }
.dropzone { border: 3px dashed var(--rand); padding: 1rem; } .dropzone.over { border-color: var(--accent); background: #eef4fa; }
.ok { background: #d7f0d7; border: 2px solid #1b5e20; padding: .5rem 1rem; } .deels { background: #fff3c4; border: 2px solid #8a6d00; padding: .5rem 1rem; } .fout { background: #fde7ea; border: 2px solid #b00020; padding: .5rem 1rem; }
button { font: inherit; padding: .25rem .75rem; border: 2px solid var(--accent); background: #fff; color: var(--accent); border-radius: 3px; cursor: pointer; }
button:hover { background: var(--accent); color: #fff; }
.filter { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; } .filter p { margin: .25rem 0; }
.antwoord { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem 2rem; border: 2px solid var(--accent); padding: .5rem 1rem; margin: 1rem 0; }
.antwoord h2 { margin-top: .5rem; } .houder { font-size: 1.25rem; margin: .5rem 0; }
.citaat { margin: .5rem 0; padding: .25rem .75rem; border-left: 4px solid var(--rand); background: #f4f4f4; } .citaat footer { font-size: .9em; }
.klein { font-size: .9em; color: #444; }
.waarschuwingen { padding-left: 1.25rem; } .waarschuwingen > li { margin: .5rem 0; padding: .25rem .5rem; background: #fde7ea; border-left: 4px solid #b00020; }
.termijnen-kort { list-style: none; padding: 0; } .termijnen-kort li { margin: .35rem 0; }
.gevolgen li { margin: .25rem 0; } .gedaan { background: #d7f0d7; border: 2px solid #1b5e20; padding: .5rem 1rem; }
/* WCAG 1.4.10 (reflow): at 320 CSS px nothing scrolls sideways but a wide table, which scrolls within itself. */
main, header, p, li, dd, td, th, caption, q, cite { overflow-wrap: anywhere; }
input, textarea, select, pre, svg { max-width: 100%; }
button { white-space: normal; text-align: left; }
@media (max-width: 40rem) {
  main { padding: .5rem; }
  header { gap: .5rem; } nav ul { gap: .5rem 1rem; }
  table { display: block; overflow-x: auto; max-width: 100%; }
  .uit { margin-left: 0; }
  .antwoord { grid-template-columns: minmax(0, 1fr); padding: .5rem; }
}
`;
