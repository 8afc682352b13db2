/**
 * Deadlines that act (issue 6): the durable timers of a dossier's terms, on SQLite and PostgreSQL, with a
 * controllable clock (no sleeping). A handover opens its timers in the accept transaction; a receipt in
 * time settles its timer; a receipt not sent in time fires once, with the gateway's signed termijnsignaal
 * to the party that must act and (in cc) to VT, queued in the outbox; two workers on one database fire a
 * timer once, also when one of them crashes holding its lease; an afsluiting lapses the open timers.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import { TermijnWorker } from '../../src/lifecycle/termijn-worker.js';
import type { Bericht, OverdrachtBericht } from '../../src/model/bericht.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { validateBericht } from '../../src/rules/validate.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { verifyBericht } from '../../src/signing/verify.js';
import type { Store } from '../../src/store/store.js';
import { personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore } from '../store/backends.js';

const network: DemoNetwork = await createDemoNetwork();
/** Monday 15 June 2026, 10:00 in Amsterdam; zuid-limburg (the demo network's profile): receipt within 2 werkdagen, first contact within 5 (Z-L 2j). */
const T0 = new Date('2026-06-15T08:00:00Z');
/** Thursday 18 June: past the receipt term, before first contact is due. */
const NA_ONTVANGSTTERMIJN = new Date('2026-06-18T12:00:00Z');

function setup(store: Store) {
  const clock = { now: T0 };
  const now = () => clock.now;
  const app = createApp({ store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 100, burst: 1000 }), now });
  const send = async (party: DemoParty, bericht: Bericht) => {
    const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway, { now: clock.now });
    const response = await app.request('/v1/berichten', { method: 'POST', body: JSON.stringify(await signAs(network, party, bericht, { iat: clock.now })), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status, await response.clone().text()).toBe(202);
  };
  const worker = (s: Store = store, workerId = 'w1') => new TermijnWorker({ store: s, registry: network.registry, gateway: network.gateway, now, workerId });
  return { clock, app, send, worker };
}

function handover(at: Date): OverdrachtBericht {
  return exampleBericht('overdracht-na-dienst-onderzoek', at) as OverdrachtBericht;
}

function receipt(h: OverdrachtBericht, party: 'heerlen' | 'kerkrade', status: 'ontvangen' | 'geaccepteerd' | 'niet-geaccepteerd', at: Date, volgnummer = 1): Bericht {
  return {
    ...exampleBericht('ontvangstbevestiging-geaccepteerd', at),
    verzender: { oin: DEMO_OIN[party], rol: 'lokaal-team' },
    dossier: { referentie: h.dossier.referentie, volgnummer },
    inAntwoordOp: h.berichtId,
    inhoud: { status, ontvangenOp: h.verzondenOp, ...(status === 'geaccepteerd' ? { behandelaar: { team: 'Sociaal team', telefoon: '045 000 0000' }, afstemming: { regie: h.ontvangers[0]?.oin ?? '' } } : {}), ...(status === 'niet-geaccepteerd' ? { reden: 'Geen capaciteit.' } : {}) },
  } as Bericht;
}

async function signalen(store: Store, ref: string): Promise<Bericht[]> {
  return (await store.listBerichtenByDossier(ref)).map((s) => JSON.parse(s.body) as Bericht).filter((b) => b.berichtType === 'termijnsignaal');
}

describe.each(BACKENDS)('lifecycle timers on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('opens the timers of a handover in its accept transaction, one per term and party', async () => {
    const { send } = setup(ctx.store);
    const h = handover(T0);
    await send('vtZuidLimburg', h);
    const timers = await ctx.store.listTermijnenOfDossier(h.dossier.referentie);
    expect(timers.map((t) => [t.soort, t.moetHandelen, t.maand, t.status])).toEqual(
      expect.arrayContaining([
        ['ontvangstbevestiging', DEMO_OIN.heerlen, 0, 'open'],
        ['ontvangstbevestiging', DEMO_OIN.kerkrade, 0, 'open'],
        ['eerste-contact', DEMO_OIN.heerlen, 0, 'open'],
        ['eerste-contact', DEMO_OIN.kerkrade, 0, 'open'],
        ['monitoring', DEMO_OIN.vtZuidLimburg, 3, 'open'],
        ['monitoring', DEMO_OIN.vtZuidLimburg, 12, 'open'],
      ]),
    );
    expect(timers.every((t) => t.profiel === 'zuid-limburg' && t.berichtId === h.berichtId)).toBe(true);
  });

  it('a receipt not sent in time fires once: an event and a signed termijnsignaal to who must act and to VT', async () => {
    const { clock, send, worker, app } = setup(ctx.store);
    const h = handover(T0);
    await send('vtZuidLimburg', h);
    const w = worker();
    clock.now = new Date(T0.getTime() + 3_600_000);
    expect(await w.runOnce()).toBe(0);

    clock.now = NA_ONTVANGSTTERMIJN;
    expect(await w.runOnce()).toBe(2);
    expect(await w.runOnce()).toBe(0);
    expect(await worker(ctx.store, 'w2').runOnce()).toBe(0);

    const signals = await signalen(ctx.store, h.dossier.referentie);
    expect(signals).toHaveLength(2);
    const keys = registryKeyResolver(network.registry);
    for (const signal of signals) {
      if (signal.berichtType !== 'termijnsignaal') throw new Error('not a signal');
      const party = signal.inhoud.moetHandelen;
      expect([DEMO_OIN.heerlen, DEMO_OIN.kerkrade]).toContain(party);
      expect(signal.inhoud).toMatchObject({ termijn: 'ontvangstbevestiging', profiel: 'zuid-limburg', regel: 'ontvangstbevestiging' });
      expect(signal.ontvangers).toEqual([{ oin: party, rol: 'lokaal-team', gemeentecode: party === DEMO_OIN.heerlen ? 'GM0917' : 'GM0928' }, { oin: DEMO_OIN.vtZuidLimburg, rol: 'vt', kopie: true }]);
      expect(signal.verzender).toEqual({ oin: DEMO_OIN.gateway, rol: 'gateway' });
      expect(signal.inAntwoordOp).toBe(h.berichtId);
      // The spec's own rules accept it, and it verifies with the gateway's registered key, countersigned.
      const validated = validateBericht(new TextEncoder().encode(JSON.stringify(signal)));
      expect(validated.issues.filter((i) => i.severity === 'error')).toEqual([]);
      await verifyBericht(signal, { keys, requireCountersignature: true });
      // Queued in the outbox for both parties, delivered like any other bericht.
      expect((await ctx.store.listDeliveries(signal.berichtId)).map((d) => [d.receiverOin, d.status]).sort()).toEqual([[party, 'queued'], [DEMO_OIN.vtZuidLimburg, 'queued']].sort());
      expect(personalValuesIn(JSON.stringify(signal))).toEqual([]);
    }
    expect(new Set(signals.map((s) => s.dossier.volgnummer))).toEqual(new Set([1, 2]));

    const fired = (await ctx.store.listEventsOfBericht(h.berichtId)).filter((e) => e.type === 'termijn.verlopen');
    expect(fired.map((e) => e.oin).sort()).toEqual([DEMO_OIN.heerlen, DEMO_OIN.kerkrade].sort());
    expect(fired[0]?.data).toMatchObject({ termijn: 'ontvangstbevestiging', profiel: 'zuid-limburg' });
    const timers = await ctx.store.listTermijnenOfDossier(h.dossier.referentie);
    expect(timers.filter((t) => t.status === 'verlopen').map((t) => t.soort)).toEqual(['ontvangstbevestiging', 'ontvangstbevestiging']);

    // The timeline shows the expiry and the signals; the ledger still accepts every bericht.
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway, { now: clock.now });
    const tijdlijn = (await (await app.request(`/v1/dossiers/${h.dossier.referentie}/tijdlijn`, { headers: { authorization: `Bearer ${token}` } })).json()) as { tijdlijn: { soort: string }[] };
    expect(tijdlijn.tijdlijn.filter((g) => g.soort === 'termijn.verlopen')).toHaveLength(2);
    expect(tijdlijn.tijdlijn.filter((g) => g.soort === 'termijnsignaal')).toHaveLength(2);

    // A late receipt is still accepted, and the fired timer stays fired.
    clock.now = new Date(NA_ONTVANGSTTERMIJN.getTime() + 60_000);
    await send('heerlen', receipt(h, 'heerlen', 'geaccepteerd', clock.now));
    expect((await ctx.store.listTermijnenOfDossier(h.dossier.referentie)).find((t) => t.soort === 'ontvangstbevestiging' && t.moetHandelen === DEMO_OIN.heerlen)?.status).toBe('verlopen');
  });

  it('a term met in time never fires', async () => {
    const { clock, send, worker } = setup(ctx.store);
    const h = handover(T0);
    await send('vtZuidLimburg', h);
    clock.now = new Date(T0.getTime() + 3_600_000);
    await send('heerlen', receipt(h, 'heerlen', 'geaccepteerd', clock.now));
    await send('kerkrade', receipt(h, 'kerkrade', 'ontvangen', clock.now));
    const settled = (await ctx.store.listTermijnenOfDossier(h.dossier.referentie)).filter((t) => t.soort === 'ontvangstbevestiging');
    expect(settled.map((t) => t.status)).toEqual(['gehaald', 'gehaald']);

    clock.now = NA_ONTVANGSTTERMIJN;
    expect(await worker().runOnce()).toBe(0);
    expect(await signalen(ctx.store, h.dossier.referentie)).toEqual([]);
  });

  it('a niet-geaccepteerd receipt meets the receipt term and lapses that party\'s first-contact timer', async () => {
    const { clock, send } = setup(ctx.store);
    const h = handover(T0);
    await send('vtZuidLimburg', h);
    clock.now = new Date(T0.getTime() + 3_600_000);
    await send('heerlen', receipt(h, 'heerlen', 'niet-geaccepteerd', clock.now));
    const heerlen = (await ctx.store.listTermijnenOfDossier(h.dossier.referentie)).filter((t) => t.moetHandelen === DEMO_OIN.heerlen);
    expect(heerlen.map((t) => [t.soort, t.status]).sort()).toEqual([['eerste-contact', 'vervallen'], ['ontvangstbevestiging', 'gehaald']]);
  });

  it('an afsluiting lapses the open timers: nothing fires after the dossier closed', async () => {
    const { clock, send, worker } = setup(ctx.store);
    const h = handover(T0);
    await send('vtZuidLimburg', h);
    clock.now = new Date(T0.getTime() + 3_600_000);
    await send('heerlen', receipt(h, 'heerlen', 'geaccepteerd', clock.now));
    // Two gemeenten (Z-L 5.2.4): Heerlen holds zicht once Kerkrade accepted too and both named Heerlen.
    await send('kerkrade', receipt(h, 'kerkrade', 'geaccepteerd', clock.now));
    clock.now = new Date(T0.getTime() + 7_200_000);
    const afsluiting = { ...exampleBericht('afsluiting', clock.now), verzender: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team' }, ontvangers: [{ oin: DEMO_OIN.vtZuidLimburg, rol: 'vt' }], dossier: { referentie: h.dossier.referentie, volgnummer: 2 }, inAntwoordOp: h.berichtId, inhoud: { afgeslotenOp: clock.now.toISOString(), reden: 'stabiel-veilig' } } as Bericht;
    await send('heerlen', afsluiting);
    const timers = await ctx.store.listTermijnenOfDossier(h.dossier.referentie);
    expect(timers.filter((t) => t.status === 'open')).toEqual([]);
    expect(timers.filter((t) => t.status === 'vervallen').length).toBeGreaterThan(0);
    clock.now = new Date('2027-12-01T12:00:00Z');
    expect(await worker().runOnce()).toBe(0);
    expect(await signalen(ctx.store, h.dossier.referentie)).toEqual([]);
  });

  it('two workers on one database fire each timer once, also when one crashes holding its lease', async () => {
    const { clock, send, worker } = setup(ctx.store);
    const h = handover(T0);
    await send('vtZuidLimburg', h);
    const other = await ctx.harness.open();
    clock.now = NA_ONTVANGSTTERMIJN;

    // A worker claims the due timers and crashes: its lease keeps the others off them until it runs out.
    const crashed = await ctx.store.claimDueTermijnen(clock.now, 10, new Date(clock.now.getTime() + 30_000), 'crashed');
    expect(crashed).toHaveLength(2);
    const [a, b] = [worker(ctx.store, 'a'), worker(other, 'b')];
    expect(await Promise.all([a.runOnce(), b.runOnce()])).toEqual([0, 0]);

    clock.now = new Date(NA_ONTVANGSTTERMIJN.getTime() + 31_000);
    const rounds = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    expect(rounds.reduce((x, y) => x + y, 0)).toBe(2);
    // The crashed worker comes back: its timers fired meanwhile, so it fires nothing.
    const late = new TermijnWorker({ store: ctx.store, registry: network.registry, gateway: network.gateway, now: () => clock.now, workerId: 'crashed' });
    for (const t of crashed) expect(await late.fire(t)).toBe('overgeslagen');
    expect(await signalen(other, h.dossier.referentie)).toHaveLength(2);
    expect((await ctx.store.listEventsOfBericht(h.berichtId)).filter((e) => e.type === 'termijn.verlopen')).toHaveLength(2);
  });
});
