/**
 * The gateway's answer and the offline answer agree (issue 17): every dossier of the lifecycle tests and
 * the demo's is sent, signed, through a real gateway (HTTP, SQLite) for each published profile; then at
 * every sampled instant GET /v1/dossiers/{ref}/verantwoordelijkheid and the evaluation from the
 * countersigned berichten alone (signatures verified against the registry file, src/lifecycle/offline.ts)
 * give the same answer, and /tijdlijn and the offline ledger the same periods. `zicht dossier --trail` prints
 * the gateway's answer; a changed file is reported and nothing is answered.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, storeLogSource } from '../../src/audit/export.js';
import { deriveLogSigner } from '../../src/audit/log-key.js';
import { createDemoNetwork, DEMO_OIN, type DemoNetwork } from '../../src/demo/network.js';
import { evalueerTrail, verifieerTrail } from '../../src/lifecycle/offline.js';
import type { Bericht, OverdrachtBericht } from '../../src/model/bericht.js';
import { profielById, publishedProfielen } from '../../src/profiles/load.js';
import { loadRegistryFile, registryToFile } from '../../src/registry/file.js';
import { InMemoryDeelnemerRepository } from '../../src/registry/in-memory.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { signBericht } from '../../src/signing/sign.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';
import { runCli } from '../helpers/cli.js';
import { afsluiting, contact, directeOverdracht, LT_HEERLEN, LT_KERKRADE, LT_MAASTRICHT, monitoring, ontvangst, overdrachtNaDienst, PROFIELEN } from './dossier.js';

/** The dossiers of the lifecycle tests and of the demo, each a list of berichten in the order they are sent. */
function dossiers(): { naam: string; berichten: Bericht[] }[] {
  const direct = directeOverdracht();
  const tafel = directeOverdracht({ triagetafel: true });
  const samen = overdrachtNaDienst();
  const weigert = overdrachtNaDienst();
  const oneens = overdrachtNaDienst();
  const demo = overdrachtNaDienst();
  const nee = overdrachtNaDienst();
  // Each dossier its own reference: the fixtures share the examples' references.
  const eigen = (h: OverdrachtBericht, ref: string) => {
    h.dossier.referentie = ref;
    return h;
  };
  eigen(tafel, 'VTZL-2026-104711');
  eigen(weigert, 'VTZL-2026-105033');
  eigen(oneens, 'VTZL-2026-105034');
  eigen(demo, 'VTZL-2026-105035');
  eigen(nee, 'VTZL-2026-105036');
  return [
    { naam: 'direct: ontvangen, then geaccepteerd, contact', berichten: [direct, ontvangst(direct, LT_MAASTRICHT, 'ontvangen', '2026-03-09T08:45:00+01:00'), ontvangst(direct, LT_MAASTRICHT, 'geaccepteerd', '2026-03-10T09:30:00+01:00'), contact(direct, LT_MAASTRICHT, '2026-03-20T10:00:00+01:00')] },
    { naam: 'direct at the triage table', berichten: [tafel, contact(tafel, LT_MAASTRICHT, '2026-03-12T10:00:00+01:00')] },
    {
      naam: 'two gemeenten: receipt, both accept naming Heerlen, contact, monitoring, closure',
      berichten: [
        samen,
        ontvangst(samen, LT_KERKRADE, 'ontvangen', '2026-06-15T11:00:00+02:00'),
        ontvangst(samen, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN }),
        ontvangst(samen, LT_KERKRADE, 'geaccepteerd', '2026-06-18T14:00:00+02:00', { regie: LT_HEERLEN }),
        contact(samen, LT_HEERLEN, '2026-06-19T10:00:00+02:00'),
        monitoring(samen, 3, '2026-09-14T10:00:00+02:00'),
        afsluiting(samen, LT_HEERLEN, '2027-01-10T10:00:00+01:00'),
      ],
    },
    { naam: 'two gemeenten: Kerkrade does not take it, names Heerlen', berichten: [weigert, ontvangst(weigert, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN }), ontvangst(weigert, LT_KERKRADE, 'niet-geaccepteerd', '2026-06-16T11:30:00+02:00', { regie: LT_HEERLEN })] },
    { naam: 'two gemeenten: different leads', berichten: [oneens, ontvangst(oneens, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN }), ontvangst(oneens, LT_KERKRADE, 'geaccepteerd', '2026-06-16T14:00:00+02:00', { regie: LT_KERKRADE })] },
    { naam: 'the demo: Heerlen accepts, Kerkrade receives then accepts', berichten: [demo, ontvangst(demo, LT_HEERLEN, 'geaccepteerd', '2026-06-15T10:05:00+02:00', { regie: LT_HEERLEN }), ontvangst(demo, LT_KERKRADE, 'ontvangen', '2026-06-15T10:06:00+02:00', { regie: LT_HEERLEN }), ontvangst(demo, LT_KERKRADE, 'geaccepteerd', '2026-06-15T10:07:00+02:00', { regie: LT_HEERLEN })] },
    { naam: 'a plain refusal', berichten: [nee, ontvangst(nee, LT_HEERLEN, 'niet-geaccepteerd', '2026-06-16T09:00:00+02:00')] },
  ];
}

const LATE = new Date('2027-12-31T12:00:00Z');

describe.each(PROFIELEN)('profile %s: the gateway and the offline evaluation agree', (profielId) => {
  const clock = { now: new Date('2026-01-01T00:00:00Z') };
  let dir: string;
  let network: DemoNetwork;
  let maastricht: Signer;
  let gateway: RunningGateway;
  let registryFile: string;
  const sent: { naam: string; ref: string; berichten: Bericht[] }[] = [];

  const signerOf = (oin: string): Signer => {
    if (oin === LT_MAASTRICHT) return maastricht;
    const party = (Object.keys(DEMO_OIN) as (keyof typeof DEMO_OIN)[]).find((k) => DEMO_OIN[k] === oin);
    if (party === undefined || party === 'gateway') throw new Error(`no signer for ${oin}`);
    return network.signers[party];
  };
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` } });
    expect(response.status, path).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zicht-offline-'));
    network = await createDemoNetwork();
    const key = await generateSigningKey('ES256');
    maastricht = await createSigner({ privateJwk: key.privateJwk, oin: LT_MAASTRICHT });
    const records = (await network.registry.list()).map((d) => (d.rol === 'lokaal-team' ? { ...d, profiel: profielId } : d));
    const registry = await InMemoryDeelnemerRepository.of([
      ...records,
      { oin: LT_MAASTRICHT, rol: 'lokaal-team', naam: 'Sociaal team Maastricht (test)', gemeentecodes: ['GM0935'], profiel: profielId, status: 'actief', sleutels: [{ kid: maastricht.kid, jwk: maastricht.publicJwk }] },
    ]);
    registryFile = join(dir, 'registry.json');
    await writeFile(registryFile, JSON.stringify(await registryToFile(registry)));
    gateway = await startGateway({ registry, gateway: network.gateway, db: join(dir, 'zicht.db'), port: 0, deliver: false, timers: false, now: () => clock.now });
    for (const { naam, berichten } of dossiers()) {
      for (const bericht of berichten) {
        // The gateway's clock a minute after the sender's: as if each arrived at once.
        clock.now = new Date(Date.parse(bericht.verzondenOp) + 60_000);
        const signer = signerOf(bericht.verzender.oin);
        const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signBericht(bericht, signer)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(signer, DEMO_OIN.gateway)}` } });
        expect(response.status, `${naam}: ${bericht.berichtType} ${await response.clone().text()}`).toBe(202);
      }
      const ref = berichten[0]?.dossier.referentie ?? '';
      sent.push({ naam, ref, berichten: (await gateway.store.listBerichtenByDossier(ref)).map((s) => JSON.parse(s.body) as Bericht) });
    }
    clock.now = LATE;
  }, 120_000);

  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('at every sampled instant of every dossier: the same answer, the same periods', async () => {
    // Keys from the registry file, not from the gateway.
    const resolver = registryKeyResolver(await loadRegistryFile(registryFile));
    const profiel = profielById(publishedProfielen(), profielId);
    let compared = 0;
    for (const { naam, ref, berichten } of sent) {
      // As a participant holds them: the countersigned berichten, shuffled (their order is the countersignatures').
      const files = [...berichten].reverse().map((b, i) => ({ naam: `${i}.json`, bytes: new TextEncoder().encode(JSON.stringify(b)) }));
      const trail = await verifieerTrail(files, resolver);
      expect(trail.fouten, naam).toEqual([]);
      const ledgerNu = evalueerTrail(trail.berichten, ref, profiel, LATE);
      const tijdlijn = (await get(`/v1/dossiers/${ref}/tijdlijn`)) as { perioden: unknown; profiel: string };
      expect(tijdlijn.profiel, naam).toBe(profielId);
      expect(ledgerNu?.ledger.perioden, naam).toEqual(tijdlijn.perioden);

      const instants = new Set<number>([Date.parse('2026-01-01T00:00:00Z'), LATE.getTime()]);
      for (const b of berichten) for (const d of [-1, 0, 1]) instants.add(Date.parse(b.verzondenOp) + d);
      for (const p of ledgerNu?.ledger.perioden ?? []) for (const d of [-1, 0]) instants.add(Date.parse(p.van) + d);
      for (const o of ledgerNu?.ledger.overdrachten ?? []) if (o.termijnEinde !== undefined) for (const d of [-1, 0]) instants.add(Date.parse(o.termijnEinde) + d);
      for (const t of [...instants].sort((a, b) => a - b)) {
        const op = new Date(t);
        const online = await get(`/v1/dossiers/${ref}/verantwoordelijkheid?op=${encodeURIComponent(op.toISOString())}`);
        const offline = evalueerTrail(trail.berichten, ref, profiel, op)?.verantwoordelijkheid;
        expect(offline, `${naam} at ${op.toISOString()}`).toEqual(online);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(sent.length * 5);
  });

  it('zicht dossier --trail prints what the gateway answers, and refuses a trail with a changed file', async () => {
    const demo = sent.find((s) => s.naam.startsWith('the demo'));
    if (demo === undefined) throw new Error('no demo dossier');
    const files = await Promise.all(
      demo.berichten.map(async (b, i) => {
        const file = join(dir, `demo-${i}.json`);
        await writeFile(file, JSON.stringify(b));
        return file;
      }),
    );
    const op = new Date('2026-06-15T10:07:00+02:00');
    const [first, ...rest] = files;
    const run = await runCli('dossier', demo.ref, '--trail', first ?? '', ...rest, '--registry', registryFile, '--op', op.toISOString(), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`profiel ${profielId}`);
    expect(JSON.parse(run.stdout)).toEqual(await get(`/v1/dossiers/${demo.ref}/verantwoordelijkheid?op=${encodeURIComponent(op.toISOString())}`));

    // One receipt changed after signing: reported by file with its code, and nothing is answered.
    const changed = JSON.parse(JSON.stringify(demo.berichten[3])) as Bericht & { inhoud: { status: string } };
    changed.inhoud.status = 'geaccepteerd';
    changed.verzondenOp = new Date(Date.parse(changed.verzondenOp) - 60_000).toISOString();
    const bad = join(dir, 'changed.json');
    await writeFile(bad, JSON.stringify(changed));
    const refused = await runCli('dossier', demo.ref, '--trail', first ?? '', ...rest.slice(0, 2), bad, '--registry', registryFile, '--op', op.toISOString());
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/changed\.json: not used: ZICHT_SIGNATURE_INVALID/);
  });

  it('with an audit bundle of the dossier and the log key: the same answer; a held bericht short, or another key, and nothing is answered', async () => {
    const demo = sent.find((x) => x.naam.startsWith('the demo'));
    if (demo === undefined) throw new Error('no demo dossier');
    const logKey = deriveLogSigner(network.gateway);
    const store = gateway.store;
    for (let i = 0; ; i += 1) {
      const size = await store.logSize();
      if (size > 0 && (await store.latestCheckpoint())?.size === size && (await store.listPendingLeaves(1)).length === 0) break;
      if (i > 200) throw new Error('no checkpoint');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const bundle = await exportBundle(storeLogSource(store, logKey.vkey), { berichtIds: new Set(demo.berichten.map((b) => b.berichtId)), dossier: demo.ref });
    const bundleFile = join(dir, 'bundle.json');
    const keyFile = join(dir, 'log.vkey');
    const otherKeyFile = join(dir, 'other.vkey');
    await writeFile(bundleFile, JSON.stringify(bundle));
    await writeFile(keyFile, logKey.vkey);
    await writeFile(otherKeyFile, deriveLogSigner(maastricht).vkey);
    const files = await Promise.all(
      demo.berichten.map(async (b, i) => {
        const file = join(dir, `bundle-demo-${i}.json`);
        await writeFile(file, JSON.stringify(b));
        return file;
      }),
    );
    const [first, ...rest] = files;
    const op = new Date('2026-06-15T10:07:00+02:00');
    const run = await runCli('dossier', demo.ref, '--trail', first ?? '', ...rest, '--registry', registryFile, '--bundle', bundleFile, '--log-key', keyFile, '--op', op.toISOString(), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('the audit bundle verifies');
    expect(JSON.parse(run.stdout)).toEqual(await get(`/v1/dossiers/${demo.ref}/verantwoordelijkheid?op=${encodeURIComponent(op.toISOString())}`));

    // The participant lacks one bericht the gateway logged for this dossier: the answer would rest on a partial trail.
    const short = await runCli('dossier', demo.ref, '--trail', first ?? '', ...rest.slice(0, -1), '--registry', registryFile, '--bundle', bundleFile, '--log-key', keyFile, '--op', op.toISOString());
    expect(short.code).toBe(1);
    expect(short.stdout).toBe('');
    expect(short.stderr).toContain(`${demo.berichten.at(-1)?.berichtId ?? 'none'}: not used: logged-not-held`);
    // A bundle checked with a key that is not the log's: refused.
    const wrongKey = await runCli('dossier', demo.ref, '--trail', first ?? '', ...rest, '--registry', registryFile, '--bundle', bundleFile, '--log-key', otherKeyFile);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('checkpoint-signature');
  });
});
