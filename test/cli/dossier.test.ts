/**
 * `zicht dossier REF --op TIMESTAMP [--tijdlijn]` (issue 6): who is responsible at an instant, from a
 * gateway's API (bearer token from a private JWK) and from its database (dossierLedger), the same answer
 * both ways; the timeline with its terms; exit codes 0/1/2; never personal data. A real gateway on SQLite
 * with a controllable clock, after a handover after a service (15 June 2026) and Heerlen's acceptance.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OIN, exampleBericht, signAs, type DemoParty } from '../../src/demo/network.js';
import type { Bericht } from '../../src/model/bericht.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { createAuditNetwork } from '../audit/network.js';
import { runCli } from '../helpers/cli.js';
import { personalValuesIn } from '../helpers/examples.js';

const network = await createAuditNetwork();
const T0 = new Date('2026-06-15T08:00:00Z');
const T1 = new Date('2026-06-15T09:00:00Z');
const clock: { now: Date | undefined } = { now: T0 };
let dir: string;
let db: string;
let auditorKey: string;
let outsiderKey: string;
let gateway: RunningGateway;
let handover: Bericht;
let acceptance: Bericht;
let refusal: Bericht;

async function send(party: DemoParty, bericht: Bericht): Promise<void> {
  const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway, { now: clock.now });
  const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signAs(network, party, bericht, { iat: clock.now })), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  expect(response.status).toBe(202);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zicht-dossier-'));
  db = join(dir, 'zicht.db');
  auditorKey = join(dir, 'auditor.jwk.json');
  await writeFile(auditorKey, JSON.stringify(network.auditorJwk));
  const outsider = await generateSigningKey('ES256');
  await network.registry.add({ oin: '00000001000000009999', rol: 'lokaal-team', naam: 'Elders (test)', status: 'actief', sleutels: [{ kid: outsider.kid, jwk: outsider.publicJwk }] });
  outsiderKey = join(dir, 'outsider.jwk.json');
  await writeFile(outsiderKey, JSON.stringify({ ...(outsider.privateJwk as Record<string, unknown>), oin: '00000001000000009999' }));
  gateway = await startGateway({ registry: network.registry, persistRegistry: true, gateway: network.gateway, db, port: 0, deliver: false, timers: false, now: () => clock.now ?? new Date() });
  handover = exampleBericht('overdracht-na-dienst-onderzoek', T0);
  await send('vtZuidLimburg', handover);
  // The household lives in Heerlen and Kerkrade (Z-L 5.2.4): Kerkrade does not take the case and names Heerlen to lead.
  clock.now = new Date(T0.getTime() + 1_800_000);
  refusal = { ...exampleBericht('ontvangstbevestiging-niet-geaccepteerd', clock.now), inAntwoordOp: handover.berichtId };
  await send('kerkrade', refusal);
  clock.now = T1;
  acceptance = {
    ...exampleBericht('ontvangstbevestiging-geaccepteerd', T1),
    dossier: { referentie: handover.dossier.referentie, volgnummer: 1 },
    inAntwoordOp: handover.berichtId,
    inhoud: { status: 'geaccepteerd', ontvangenOp: T0.toISOString(), behandelaar: { team: 'Sociaal team Heerlen', telefoon: '045 000 0000' }, afstemming: { regie: DEMO_OIN.heerlen } },
  } as Bericht;
  await send('heerlen', acceptance);
  // From here the gateway runs on the real clock: the CLI makes its bearer tokens by its own clock, and the
  // gateway judges every key by its clock at receipt (spec/v1/time-and-keys.md).
  clock.now = undefined;
}, 30_000);

afterAll(async () => {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
});

const REF = 'VTZL-2026-005032';
const noPersonalData = (text: string) => {
  expect(personalValuesIn(text)).toEqual([]);
};

describe('zicht dossier', () => {
  it('prints who is responsible at an instant from the database: VT before the acceptance, Heerlen from it', async () => {
    expect(handover.dossier.referentie).toBe(REF);
    const before = await runCli('dossier', REF, '--op', '2026-06-15T10:30:00+02:00', '--db', db);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`verantwoordelijk: ${DEMO_OIN.vtZuidLimburg} (vt)`);
    expect(before.stdout).toContain('vtVerantwoordelijk');

    const after = await runCli('dossier', REF, '--op', T1.toISOString(), '--db', db);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`dossier ${REF} (profiel zuid-limburg)`);
    expect(after.stdout).toContain(`verantwoordelijk: ${DEMO_OIN.heerlen} (lokaal-team) sinds ${T1.toISOString()}`);
    expect(after.stdout).toMatch(/regel: +zuid-limburg overgang\.meerdereGemeenten \(Z-L 5\.2\.4, 6\.2\)/);
    expect(after.stdout).toContain(`berichten: ${handover.berichtId}, ${refusal.berichtId}, ${acceptance.berichtId}`);
    expect(after.stdout).toContain(`samen met: ${DEMO_OIN.kerkrade}`);
    // An instant before VT became responsible: said so, with the start.
    const early = await runCli('dossier', REF, '--op', '2026-01-01T00:00:00Z', '--db', db);
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(/verantwoordelijk: nog niet begonnen: Veilig Thuis is verantwoordelijk vanaf \d{4}-/);
    noPersonalData(before.stdout + after.stdout);
  });

  it('gives the same answer through the gateway, with a bearer token from the caller\'s key', async () => {
    const fromDb = await runCli('dossier', REF, '--op', T1.toISOString(), '--db', db);
    const fromGateway = await runCli('dossier', REF, '--op', T1.toISOString(), '--gateway', gateway.url, '--key', auditorKey);
    expect(fromGateway.stderr).toBe('');
    expect(fromGateway.code).toBe(0);
    expect(fromGateway.stdout).toBe(fromDb.stdout);
    const json = await runCli('dossier', REF, '--op', T1.toISOString(), '--gateway', gateway.url, '--key', auditorKey, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ dossier: REF, profiel: 'zuid-limburg', verantwoordelijke: { oin: DEMO_OIN.heerlen, rol: 'lokaal-team', berichten: [handover.berichtId, refusal.berichtId, acceptance.berichtId] } });
  });

  it('with --tijdlijn prints the timeline and the terms with their deadlines, metadata only', async () => {
    for (const source of [['--db', db], ['--gateway', gateway.url, '--key', auditorKey]]) {
      const run = await runCli('dossier', REF, '--tijdlijn', ...source);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('tijdlijn:');
      expect(run.stdout).toMatch(new RegExp(`${T0.toISOString()}  overdracht +${DEMO_OIN.vtZuidLimburg}  ${handover.berichtId}`));
      expect(run.stdout).toMatch(new RegExp(`${T1.toISOString()}  geaccepteerd +${DEMO_OIN.heerlen}`));
      expect(run.stdout).toContain('termijnen:');
      expect(run.stdout).toMatch(new RegExp(`ontvangstbevestiging: gehaald +uiterlijk \\S+  moet handelen ${DEMO_OIN.heerlen} gehaald op ${T1.toISOString()}`));
      expect(run.stdout).toMatch(new RegExp(`eerste-contact: \\w+ +uiterlijk \\S+  moet handelen ${DEMO_OIN.heerlen}`));
      expect(run.stdout).toContain('monitoring (maand 3)');
      noPersonalData(run.stdout);
      const json = await runCli('dossier', REF, '--tijdlijn', '--json', ...source);
      noPersonalData(json.stdout);
      expect((JSON.parse(json.stdout) as { termijnen: unknown[] }).termijnen.length).toBeGreaterThan(0);
    }
  });

  it('exits 1 for an unknown dossier and 2 for usage errors and refusals', async () => {
    const unknown = await runCli('dossier', 'VTZL-2026-999999', '--db', db);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no dossier VTZL-2026-999999');
    expect((await runCli('dossier', 'VTZL-2026-999999', '--gateway', gateway.url, '--key', auditorKey)).code).toBe(1);
    const cases: string[][] = [
      ['dossier'],
      ['dossier', REF],
      ['dossier', REF, '--db', db, '--gateway', gateway.url],
      ['dossier', REF, '--gateway', gateway.url],
      ['dossier', REF, '--op', 'yesterday', '--db', db],
      ['dossier', REF, '--op', '2099-01-01T00:00:00Z', '--db', db],
      ['dossier', 'BSN 123', '--db', db],
      ['dossier', REF, '--db', db, '--bogus'],
    ];
    for (const args of cases) {
      const run = await runCli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
    }
    // Not a participant of the dossier: the gateway refuses (403), and nothing of the dossier is printed.
    const outsider = await runCli('dossier', REF, '--gateway', gateway.url, '--key', outsiderKey);
    expect(outsider.code).toBe(2);
    expect(outsider.stdout).toBe('');
    expect(outsider.stderr).toContain('403');
  });

  it('runs from the built bin', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'zicht.js');
    const ok = await promisify(execFile)(process.execPath, [bin, 'dossier', REF, '--op', T1.toISOString(), '--db', db]);
    expect(ok.stdout).toContain(`verantwoordelijk: ${DEMO_OIN.heerlen} (lokaal-team)`);
    await expect(promisify(execFile)(process.execPath, [bin, 'dossier', 'VTZL-2026-999999', '--db', db])).rejects.toMatchObject({ code: 1 });
  });
});
