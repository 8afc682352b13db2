/**
 * The console's dossier page (issue 21): it opens with the answer (who holds zicht op veiligheid now, since when,
 * under which profile rule with its quote, the evidence as linked berichten), the open and missed terms beside it,
 * and a warning for whatever makes the answer fragile: a receiver that never got the handover, a missed term, a
 * key revoked since the evidence was signed, a bericht the ledger refused (its rule in Dutch). The answer is the
 * one pure function's (verantwoordelijkheid); a household in two gemeenten (Z-L 5.2.4) shows each team.
 */
import { describe, expect, it } from 'vitest';
import { bouwAntwoord, toelichtingNl } from '../../src/console/antwoord.js';
import { dossierView } from '../../src/console/views.js';
import { buildLedger, type Ledger } from '../../src/lifecycle/ledger.js';
import { verantwoordelijkheid } from '../../src/lifecycle/verantwoordelijkheid.js';
import type { Bericht } from '../../src/model/bericht.js';
import type { Deelnemer } from '../../src/registry/deelnemer.js';
import { REGELS_NL } from '../../src/rules/messages-nl.js';
import type { Delivery } from '../../src/store/delivery.js';
import type { StoredBericht } from '../../src/store/stored-bericht.js';
import { afsluiting, alsVerzonden, LT_HEERLEN, LT_KERKRADE, ontvangst, overdrachtNaDienst, profiel, VT } from '../lifecycle/dossier.js';

const render = async (html: ReturnType<typeof dossierView>) => String(await html);
const KID = 'k'.repeat(43);
const header = (kid: string) => Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'zicht-bericht+jws', kid, iat: 1, oin: VT, crit: ['oin'] })).toString('base64url');

/** A bericht as the store keeps it, received by the gateway a minute after it was sent, signed with `kid`. */
function stored(b: Bericht, kid = KID): StoredBericht {
  return {
    berichtId: b.berichtId,
    senderOin: b.verzender.oin,
    berichtType: b.berichtType,
    dossierReferentie: b.dossier.referentie,
    volgnummer: b.dossier.volgnummer,
    ...(b.inAntwoordOp === undefined ? {} : { inAntwoordOp: b.inAntwoordOp }),
    contentHash: '0'.repeat(64),
    body: JSON.stringify({ ...b, signatures: [{ protected: header(kid), signature: 'AA' }] }),
    receivedAt: new Date(Date.parse(b.verzondenOp) + 60_000),
    receipt: '{}',
  };
}

const deelnemer = (oin: string, naam: string, rol: Deelnemer['rol'], revokedAt?: string): Deelnemer =>
  ({ oin, naam, rol, status: 'actief', sleutels: [{ kid: KID, jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, ...(revokedAt === undefined ? {} : { revokedAt }) }], afleveradressen: [] }) as unknown as Deelnemer;
const DEELNEMERS = [deelnemer(VT, 'Veilig Thuis Zuid-Limburg', 'vt'), deelnemer(LT_HEERLEN, 'Sociaal team Heerlen', 'lokaal-team'), deelnemer(LT_KERKRADE, 'Sociaal team Kerkrade', 'lokaal-team')];
const namen = (list: readonly Deelnemer[]) => new Map(list.map((d) => [d.oin, d]));

const failed = (berichtId: string, receiverOin: string): Delivery => ({ berichtId, receiverOin, mode: 'push', nextAttemptAt: new Date(), status: 'failed', attempts: 3, lastErrorCode: 'HTTP_400', failedAt: new Date('2026-06-15T10:05:00+02:00') });

/** The part of the page before the first heading after the answer: what a reader sees first. */
const top = (page: string) => page.slice(0, page.indexOf('<h2>Verloop van de verantwoordelijkheid</h2>'));

describe('the dossier page: the answer first', () => {
  const h = overdrachtNaDienst({ alleenHeerlen: true });
  const accepted = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00');
  const view = async (ledger: Ledger, berichten: readonly Bericht[], opties: { deliveries?: Map<string, Delivery[]>; deelnemers?: Deelnemer[] } = {}) => {
    const deelnemers = opties.deelnemers ?? DEELNEMERS;
    return render(dossierView(namen(deelnemers), ledger, bouwAntwoord(ledger, berichten.map((b) => stored(b)), opties.deliveries ?? new Map(), deelnemers)));
  };

  it('opens with who holds zicht now, since when, the rule and its quote, and the evidence as linked berichten', async () => {
    const ledger = buildLedger(alsVerzonden([h, accepted]), profiel('zuid-limburg'), { nu: new Date('2026-06-17T12:00:00+02:00') });
    const answer = verantwoordelijkheid(ledger, new Date(ledger.nu));
    expect(answer.verantwoordelijke?.oin).toBe(LT_HEERLEN);
    const page = await view(ledger, [h, accepted]);
    // The first thing on the page is the answer section, and its first sentence names the holder and since when.
    expect(page.trimStart().startsWith('<section class="antwoord"')).toBe(true);
    const houder = /<p class="houder"[^>]*>(.*?)<\/p>/s.exec(page)?.[1] ?? '';
    expect(houder).toContain('<strong>Sociaal team Heerlen</strong>');
    expect(houder).toContain('heeft nu zicht op veiligheid, sinds');
    expect(houder).toContain(`datetime="${new Date(answer.verantwoordelijke?.sinds ?? '').toISOString()}"`);
    expect(houder).toContain('16 jun 2026, 09:10');
    expect(page).toContain(`data-houder="${LT_HEERLEN}"`);
    // The rule, in Dutch, with the source's own words.
    const regel = answer.verantwoordelijke?.regel;
    expect(top(page)).toContain(`<code>${regel?.regel ?? 'none'}</code>`);
    expect(top(page)).toContain('de ontvanger accepteerde de overdracht (geaccepteerd)');
    expect(top(page)).toContain(regel?.bron.citaat.slice(0, 40) ?? 'none');
    // The evidence: each bericht of the answer, linked, with its type in words and its sender's name.
    const bewijs = [...top(page).matchAll(/<li data-bericht="([^"]+)"><a href="\/console\/berichten\/([^"]+)">([^<]+)<\/a> van ([^,]+),/g)].map((m) => [m[1], m[2], m[3], m[4]]);
    expect(bewijs).toEqual([
      [h.berichtId, h.berichtId, 'overdracht', 'Veilig Thuis Zuid-Limburg'],
      [accepted.berichtId, accepted.berichtId, 'ontvangstbevestiging: geaccepteerd', 'Sociaal team Heerlen'],
    ]);
    expect(top(page)).toContain('Geen waarschuwingen');
    // Open terms beside it.
    expect(top(page)).toMatch(/<li data-soort="eerste-contact" data-status="open">/);
  });

  it('warns when a receiver never got the handover (a dead letter), and when a term was missed', async () => {
    const both = overdrachtNaDienst();
    const ledger = buildLedger(alsVerzonden([both]), profiel('zuid-limburg'), { nu: new Date('2026-06-20T12:00:00+02:00') });
    const page = await view(ledger, [both], { deliveries: new Map([[both.berichtId, [failed(both.berichtId, LT_KERKRADE)]]]) });
    expect(/<p class="houder"[^>]*>(.*?)<\/p>/s.exec(page)?.[1]).toContain('<strong>Veilig Thuis Zuid-Limburg</strong>');
    const warnings = top(page);
    expect(warnings).toContain(`data-waarschuwing="onbestelbaar" data-bericht="${both.berichtId}" data-ontvanger="${LT_KERKRADE}"`);
    expect(warnings).toContain('Sociaal team Kerkrade kreeg de');
    expect(warnings).toContain('HTTP_400');
    const missed = ledger.termijnen.filter((t) => t.status === 'gemist');
    expect(missed.length).toBeGreaterThan(0);
    expect([...warnings.matchAll(/data-waarschuwing="termijn-gemist"/g)]).toHaveLength(missed.length);
    // Without the dead letter and before the terms ran out: no warning.
    const early = buildLedger(alsVerzonden([both]), profiel('zuid-limburg'), { nu: new Date('2026-06-15T12:00:00+02:00') });
    expect(top(await view(early, [both]))).toContain('Geen waarschuwingen');
  });

  it('warns when the key that signed the evidence was revoked since, and not before its revocation takes effect', async () => {
    const ledger = buildLedger(alsVerzonden([h, accepted]), profiel('zuid-limburg'), { nu: new Date('2026-06-17T12:00:00+02:00') });
    const revoked = DEELNEMERS.map((d) => (d.oin === LT_HEERLEN ? deelnemer(LT_HEERLEN, 'Sociaal team Heerlen', 'lokaal-team', '2026-06-17T08:00:00+02:00') : d));
    const page = top(await view(ledger, [h, accepted], { deelnemers: revoked }));
    expect(page).toContain(`data-waarschuwing="sleutel-ingetrokken" data-bericht="${accepted.berichtId}"`);
    expect(page).toContain('na de ontvangst door de gateway');
    const later = DEELNEMERS.map((d) => (d.oin === LT_HEERLEN ? deelnemer(LT_HEERLEN, 'Sociaal team Heerlen', 'lokaal-team', '2026-06-18T08:00:00+02:00') : d));
    expect(top(await view(ledger, [h, accepted], { deelnemers: later }))).not.toContain('sleutel-ingetrokken');
  });

  it('shows a bericht the ledger refused with its rule in Dutch, and a closed dossier as closed', async () => {
    const closedByKerkrade = afsluiting(h, LT_KERKRADE, '2026-06-16T10:00:00+02:00');
    const ledger = buildLedger(alsVerzonden([h, accepted, closedByKerkrade]), profiel('zuid-limburg'), { nu: new Date('2026-06-17T12:00:00+02:00') });
    expect(ledger.geweigerd.map((g) => g.berichtId)).toEqual([closedByKerkrade.berichtId]);
    const page = top(await view(ledger, [h, accepted, closedByKerkrade]));
    expect(page).toContain(`data-waarschuwing="geweigerd" data-bericht="${closedByKerkrade.berichtId}"`);
    const rule = ledger.geweigerd[0]?.issues[0]?.rule ?? 'none';
    expect(page).toContain(`<a href="/console/regels#${rule}"><code>${rule}</code></a>: ${REGELS_NL[rule] ?? 'none'}`);

    const closed = afsluiting(h, LT_HEERLEN, '2026-06-16T10:00:00+02:00');
    const done = buildLedger(alsVerzonden([h, accepted, closed]), profiel('zuid-limburg'), { nu: new Date('2026-06-17T12:00:00+02:00') });
    const closedPage = await view(done, [h, accepted, closed]);
    expect(/<p class="houder" data-stand="afgesloten">(.*?)<\/p>/s.exec(closedPage)?.[1]).toContain('Niemand meer');
    expect(top(closedPage)).toContain(`<li data-bericht="${closed.berichtId}"><a href="/console/berichten/${closed.berichtId}">afsluiting</a>`);
  });

  it('says the ledger\'s explanations in Dutch, with names for OINs', () => {
    const naam = (oin: string) => (oin === LT_KERKRADE ? 'Kerkrade' : oin);
    expect(toelichtingNl(`waiting for the acceptance (geaccepteerd) of ${LT_KERKRADE}`, naam)).toBe('wacht op de acceptatie (geaccepteerd) van Kerkrade');
    expect(toelichtingNl(`niet-geaccepteerd by ${LT_KERKRADE}: VT keeps zicht: responsibility returns to VT`, naam)).toBe('niet geaccepteerd door Kerkrade: Veilig Thuis houdt zicht; de verantwoordelijkheid gaat terug naar Veilig Thuis');
    expect(toelichtingNl('something new', naam)).toBeUndefined();
  });
});

describe('console dossier page, two gemeenten', () => {
  it('shows each team, its answer and the lead it named, and who holds zicht by the handover, as the query does', async () => {
    const h = overdrachtNaDienst();
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN });
    const kerkradeOntvangen = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-16T10:00:00+02:00');
    const halfway = buildLedger(alsVerzonden([h, heerlen, kerkradeOntvangen]), profiel('zuid-limburg'), { nu: new Date('2026-06-16T12:00:00+02:00') });
    const page = await render(dossierView(namen(DEELNEMERS), halfway, bouwAntwoord(halfway, [], new Map(), DEELNEMERS)));
    const answer = verantwoordelijkheid(halfway, new Date(halfway.nu));
    expect(answer.verantwoordelijke?.oin).toBe(VT);
    expect(page).toContain(`data-oin="${LT_HEERLEN}" data-status="geaccepteerd" data-regie="${LT_HEERLEN}"`);
    expect(page).toContain(`data-oin="${LT_KERKRADE}" data-status="ontvangen"`);
    expect(page).toContain(`zicht bij`);
    // The handover that is not yet through, in Dutch, citing VRW-003.
    expect(top(page)).toContain('meer gemeenten: wacht op de acceptatie (geaccepteerd) met het regieteam (afstemming) van Sociaal team Kerkrade');
    expect(top(page)).toContain('/console/regels#VRW-003');

    const kerkrade = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-16T14:00:00+02:00', { regie: LT_HEERLEN });
    const done = buildLedger(alsVerzonden([h, heerlen, kerkradeOntvangen, kerkrade]), profiel('zuid-limburg'), { nu: new Date('2026-06-17T12:00:00+02:00') });
    const after = await render(dossierView(namen(DEELNEMERS), done, bouwAntwoord(done, [], new Map(), DEELNEMERS)));
    expect(after).toContain(`data-oin="${LT_KERKRADE}" data-status="geaccepteerd" data-regie="${LT_HEERLEN}"`);
    expect(after).toContain('overgang.meerdereGemeenten');
    expect(verantwoordelijkheid(done, new Date(done.nu)).verantwoordelijke).toMatchObject({ oin: LT_HEERLEN, mede: [LT_KERKRADE] });
    expect(/<p class="houder"[^>]*>(.*?)<\/p>/s.exec(after)?.[1]).toContain('Afgestemd met Sociaal team Kerkrade, die Sociaal team Heerlen de regie gaven.');
  });
});
