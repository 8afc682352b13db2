/**
 * `zicht dossier --db` on the database a real gateway made (issue 17): payloads are encrypted at rest, so the
 * command takes the keyring as `zicht serve` does (--kek-file, $ZICHT_KEK_FILE, $ZICHT_KEK). Without it: exit 2
 * with ZICHT_STORE_KEY_MISSING and nothing answered; with it: the same answer as the gateway's API. On SQLite
 * and on PostgreSQL (a fresh schema, reached through the URL's search_path option).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { Keyring } from '../../src/store/keyring.js';
import { runCli } from '../helpers/cli.js';
import { personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, type StoreHarness } from '../store/backends.js';

const T0 = new Date('2026-06-15T08:00:00Z');
const T1 = new Date('2026-06-15T09:00:00Z');
const T2 = new Date('2026-06-15T09:30:00Z');

describe.each(BACKENDS)('zicht dossier --db on an encrypted $name store', ({ name, harness: makeHarness }) => {
  const clock = { now: T0 };
  let harness: StoreHarness;
  let network: DemoNetwork;
  let gateway: RunningGateway;
  let dir: string;
  let kekFile: string;
  let kekText: string;
  let url: string;
  let handover: Bericht;
  let lastAcceptance: Bericht;

  const send = async (party: DemoParty, bericht: Bericht) => {
    // The gateway judges the token and the signature by its own (injected) clock: sign at that time.
    const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway, { now: clock.now });
    const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signAs(network, party, bericht, { iat: clock.now })), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status, await response.clone().text()).toBe(202);
  };

  beforeAll(async () => {
    harness = await makeHarness();
    dir = await mkdtemp(join(tmpdir(), 'zicht-dossier-db-'));
    const keyring = Keyring.generate('kek-dossier-test');
    kekText = keyring.exportText();
    kekFile = join(dir, 'kek.json');
    await writeFile(kekFile, kekText);
    network = await createDemoNetwork();
    gateway = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db: harness.url, storeOptions: harness.options, keyring, port: 0, deliver: false, timers: false, now: () => clock.now });
    url = name === 'postgres' ? `${harness.url}?options=${encodeURIComponent(`-c search_path=${harness.options.schema ?? ''}`)}` : harness.url;
    handover = exampleBericht('overdracht-na-dienst-onderzoek', T0);
    await send('vtZuidLimburg', handover);
    // Both gemeenten accept and name Heerlen to lead (Z-L 5.2.4): zicht passes at Kerkrade's, the later acceptance.
    clock.now = T1;
    await send('heerlen', { ...exampleBericht('ontvangstbevestiging-geaccepteerd', T1), inAntwoordOp: handover.berichtId });
    clock.now = T2;
    lastAcceptance = { ...exampleBericht('ontvangstbevestiging-geaccepteerd', T2), verzender: { oin: DEMO_OIN.kerkrade, rol: 'lokaal-team' }, inAntwoordOp: handover.berichtId };
    await send('kerkrade', lastAcceptance);
  }, 60_000);

  afterAll(async () => {
    await gateway.close();
    await harness.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('the payloads are encrypted at rest: without the keyring it exits 2 with ZICHT_STORE_KEY_MISSING and answers nothing', async () => {
    const saved = { file: process.env.ZICHT_KEK_FILE, text: process.env.ZICHT_KEK };
    delete process.env.ZICHT_KEK_FILE;
    delete process.env.ZICHT_KEK;
    try {
      const run = await runCli('dossier', handover.dossier.referentie, '--db', url);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('ZICHT_STORE_KEY_MISSING');
      expect(run.stdout).toBe('');
    } finally {
      if (saved.file !== undefined) process.env.ZICHT_KEK_FILE = saved.file;
      if (saved.text !== undefined) process.env.ZICHT_KEK = saved.text;
    }
  });

  it('with --kek-file it answers as the gateway does: VT before the afstemming is complete, Heerlen from the last acceptance', async () => {
    const before = await runCli('dossier', handover.dossier.referentie, '--db', url, '--kek-file', kekFile, '--op', new Date(T2.getTime() - 1000).toISOString(), '--json');
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ stand: 'verantwoordelijk', verantwoordelijke: { oin: DEMO_OIN.vtZuidLimburg }, profiel: 'zuid-limburg' });
    const after = await runCli('dossier', handover.dossier.referentie, '--db', url, '--kek-file', kekFile, '--op', T2.toISOString(), '--json', '--tijdlijn');
    expect(after.code, after.stderr).toBe(0);
    const json = JSON.parse(after.stdout) as { verantwoordelijke: unknown };
    expect(json).toMatchObject({ verantwoordelijke: { oin: DEMO_OIN.heerlen, sinds: T2.toISOString(), mede: [DEMO_OIN.kerkrade], regel: { regel: 'overgang.meerdereGemeenten' } } });
    const token = await createBearerToken(network.signers.heerlen, DEMO_OIN.gateway, { now: clock.now });
    const api = await fetch(`${gateway.url}/v1/dossiers/${handover.dossier.referentie}/verantwoordelijkheid?op=${encodeURIComponent(T2.toISOString())}`, { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(after.stdout)).toMatchObject((await api.json()) as object);
    expect(personalValuesIn(after.stdout)).toEqual([]);
  });

  it('takes the keyring from $ZICHT_KEK as serve does', async () => {
    const saved = process.env.ZICHT_KEK;
    process.env.ZICHT_KEK = kekText;
    try {
      const run = await runCli('dossier', handover.dossier.referentie, '--db', url, '--op', T2.toISOString());
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`verantwoordelijk: ${DEMO_OIN.heerlen} (lokaal-team) sinds ${T2.toISOString()}`);
    } finally {
      if (saved === undefined) delete process.env.ZICHT_KEK;
      else process.env.ZICHT_KEK = saved;
    }
  });
});
