/**
 * Timers survive a restart (issue 6, "Deadlines that act"): a gateway accepts a handover and is closed
 * before the receipt term ends; a new gateway on the same database, once its clock passes the term, fires
 * the timers with their termijnsignalen. On SQLite and PostgreSQL, with a controllable clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

const network = await createDemoNetwork();
const T0 = new Date('2026-06-15T08:00:00Z');

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(BACKENDS)('timers across a restart on $name', ({ harness: open }) => {
  it('a gateway started after the restart fires the timers the first one wrote', async () => {
    const harness: StoreHarness = await open();
    cleanup.push(() => harness.cleanup());
    const clock = { now: T0 };
    const start = async (): Promise<RunningGateway> => {
      const gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db: harness.url, storeOptions: harness.options, port: 0, deliver: false, now: () => clock.now });
      cleanup.push(() => gateway.close());
      return gateway;
    };

    const first = await start();
    const h = await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek', T0), { iat: T0 });
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway, { now: clock.now });
    const response = await fetch(`${first.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(h), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status).toBe(202);
    await first.timers?.runOnce();
    await first.close();

    clock.now = new Date('2026-06-18T12:00:00Z');
    const second = await start();
    // Fire now rather than wait for the poll; stop() then waits for a round the poll may have started.
    await second.timers?.runOnce();
    await second.timers?.stop();
    const signals = (await second.store.listBerichtenByDossier(h.dossier.referentie)).filter((b) => b.berichtType === 'termijnsignaal');
    expect(signals).toHaveLength(2);
    const timers = await second.store.listTermijnenOfDossier(h.dossier.referentie);
    expect(timers.filter((t) => t.status === 'verlopen').map((t) => [t.soort, t.moetHandelen]).sort()).toEqual([
      ['ontvangstbevestiging', DEMO_OIN.heerlen],
      ['ontvangstbevestiging', DEMO_OIN.kerkrade],
    ].sort());
    expect((await second.store.listEventsOfBericht(h.berichtId)).filter((e) => e.type === 'termijn.verlopen')).toHaveLength(2);
  });
});
