/**
 * `zicht sandbox --out DIR` (issue 20): a vendor's own systems join the demo network through participant files
 * and exchange handovers with it over real HTTP. The vendor's gemeente (pushed to, built on `zicht/client`'s
 * receiver) gets a handover from the demo VT and answers it; the vendor's VT (ZichtClient) hands over to the
 * demo gemeenten and gets their signed receipts pushed to its own endpoint. Keys in DIR survive a restart. A
 * participant file that breaks the registry's model or clashes with the demo network is refused naming the
 * file, the field and the rule, and nothing starts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSigner, generateEncryptionKey, startReceiver, ZichtClient, type Receiver } from '../../src/client/index.js';
import type { Bericht } from '../../src/model/bericht.js';
import { DEMO_OIN, exampleBericht } from '../../src/demo/network.js';
import { SANDBOX_VENDOR } from '../../src/demo/sandbox-files.js';
import { startSandbox, type RunningSandbox } from '../../src/demo/sandbox.js';
import { RegistryError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { personalValuesIn } from '../helpers/examples.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-sandbox-test-'));
  cleanup.push(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

async function until(what: string, check: () => boolean, problems: () => readonly string[] = () => []): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) {
    if (problems().length > 0) throw new Error(`${what}: ${problems().join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(check(), what).toBe(true);
}

/** Writes the sandbox's ready entry for `role` with the push address of the system that now listens at `url`. */
function join_(dir: string, role: 'gemeente' | 'vt', url: string | undefined): string {
  const entry = readJson(join(dir, 'vendor', `${role}.participant.json`));
  const file = join(dir, `${role}.joined.json`);
  writeFileSync(file, JSON.stringify(url === undefined ? { ...entry, afleveradressen: [] } : { ...entry, afleveradressen: [{ url, kanaal: 'zicht-v1' }] }));
  return file;
}

describe('zicht sandbox', () => {
  it('lets a vendor gemeente and a vendor VT join: the demo VT hands over to the gemeente and the demo gemeenten answer the VT', async () => {
    const dir = folder();
    const lines: string[] = [];
    // A first run writes the keys and the ready entries.
    const first = await startSandbox({ out: dir, port: 0, print: (line) => lines.push(line) });
    await first.close();
    const gemeenteKey = readJson(join(dir, 'vendor', 'gemeente.private.jwk.json'));
    const vtKey = readJson(join(dir, 'vendor', 'vt.private.jwk.json'));
    const gemeenteSigner = await createSigner({ privateJwk: gemeenteKey, oin: SANDBOX_VENDOR.gemeente.oin });
    const vtSigner = await createSigner({ privateJwk: vtKey, oin: SANDBOX_VENDOR.vt.oin });

    // The vendor's systems listen first (their addresses go into their participant files).
    let gatewayUrl = '';
    const gemeenteTook: Bericht[] = [];
    const vtTook: Bericht[] = [];
    const problems: string[] = [];
    const gemeente: Receiver = await startReceiver({ signer: gemeenteSigner, rol: 'lokaal-team', gemeentecodes: [SANDBOX_VENDOR.gemeente.gemeentecode], gatewayUrl: () => gatewayUrl, gatewayOin: DEMO_OIN.gateway, onReceived: (b) => gemeenteTook.push(b), onProblem: (p) => problems.push(p) });
    cleanup.push(() => gemeente.close());
    const vtEndpoint: Receiver = await startReceiver({ signer: vtSigner, rol: 'vt', gatewayUrl: () => gatewayUrl, gatewayOin: DEMO_OIN.gateway, onReceived: (b) => vtTook.push(b), onProblem: (p) => problems.push(p) });
    cleanup.push(() => vtEndpoint.close());

    const sandbox: RunningSandbox = await startSandbox({ out: dir, port: 0, participants: [join_(dir, 'gemeente', gemeente.url), join_(dir, 'vt', vtEndpoint.url)], print: (line) => lines.push(line) });
    cleanup.push(() => sandbox.close());
    gatewayUrl = sandbox.info.gatewayUrl;
    expect(readFileSync(join(dir, 'sandbox.env'), 'utf8')).toContain(`ZICHT_GATEWAY_URL=${gatewayUrl}\n`);
    const registry = readJson(join(dir, 'registry.json')) as { deelnemers: { oin: string; sleutels: { kid: string }[] }[] };
    expect(registry.deelnemers.map((d) => d.oin)).toEqual(expect.arrayContaining([SANDBOX_VENDOR.gemeente.oin, SANDBOX_VENDOR.vt.oin, DEMO_OIN.vtZuidLimburg, DEMO_OIN.heerlen, DEMO_OIN.kerkrade, DEMO_OIN.gateway]));
    // The keys of the first run are the ones the network runs with now.
    expect(registry.deelnemers.find((d) => d.oin === SANDBOX_VENDOR.gemeente.oin)?.sleutels[0]?.kid).toBe(gemeenteSigner.kid);
    const demoVtKey = readJson(join(dir, 'keys', 'vt.private.jwk.json'));
    expect(registry.deelnemers.find((d) => d.oin === DEMO_OIN.vtZuidLimburg)?.sleutels[0]?.kid).toBe(demoVtKey.kid);

    // The demo VT handed over to the joined gemeente at start; it verified it and answered; the receipt reached the demo VT.
    await until('the vendor gemeente takes the demo VT\'s handover', () => gemeenteTook.some((b) => b.berichtType === 'overdracht' && b.verzender.oin === DEMO_OIN.vtZuidLimburg), () => [...problems, ...sandbox.problems]);
    const handover = gemeenteTook.find((b) => b.berichtType === 'overdracht');
    expect(handover?.ontvangers.map((o) => o.oin).sort()).toEqual([DEMO_OIN.heerlen, SANDBOX_VENDOR.gemeente.oin].sort());
    await until('the demo VT takes the vendor gemeente\'s receipt', () => sandbox.received.some((r) => r.party === DEMO_OIN.vtZuidLimburg && r.bericht.verzender.oin === SANDBOX_VENDOR.gemeente.oin && r.bericht.inAntwoordOp === handover?.berichtId), () => [...problems, ...sandbox.problems]);

    // The vendor's VT hands over to the demo gemeenten with the client library; both answer it, pushed to its endpoint.
    const client = new ZichtClient({ gatewayUrl, gatewayOin: DEMO_OIN.gateway, signer: vtSigner });
    const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), verzender: { oin: SANDBOX_VENDOR.vt.oin, rol: 'vt' } } as Bericht;
    const receipt = await client.submit(await client.sign(bericht));
    expect(receipt.berichtId).toBe(bericht.berichtId);
    // Each first with the automatic ontvangen every receiver sends (AFL-005), then its acceptance with the same ontvangenOp (Q108).
    const answers = () => vtTook.filter((b): b is Bericht & { berichtType: 'ontvangstbevestiging' } => b.berichtType === 'ontvangstbevestiging' && b.inAntwoordOp === bericht.berichtId);
    await until('both demo gemeenten answer the vendor VT, ontvangen then geaccepteerd', () => answers().length === 4, () => [...problems, ...sandbox.problems]);
    for (const oin of [DEMO_OIN.heerlen, DEMO_OIN.kerkrade]) {
      const own = answers().filter((b) => b.verzender.oin === oin).sort((a, b) => a.dossier.volgnummer - b.dossier.volgnummer);
      expect(own.map((b) => b.inhoud.status)).toEqual(['ontvangen', 'geaccepteerd']);
      expect(own[1]?.inhoud.ontvangenOp).toBe(own[0]?.inhoud.ontvangenOp);
    }
    expect(new Set(vtTook.map((b) => b.verzender.oin))).toEqual(new Set([DEMO_OIN.heerlen, DEMO_OIN.kerkrade]));
    const status = await client.status(bericht.berichtId);
    expect(JSON.stringify(status)).toContain('acknowledged');

    // What the sandbox printed is metadata only.
    const printed = lines.join('\n');
    expect(printed).toContain('Sandbox ready.');
    expect(personalValuesIn(printed)).toEqual([]);
  });

  it('refuses a participant file naming the file, the field and the rule, and does not start', async () => {
    const dir = folder();
    const first = await startSandbox({ out: dir, port: 0, print: () => undefined });
    await first.close();
    const entry = readJson(join(dir, 'vendor', 'gemeente.participant.json'));
    const encryption = await generateEncryptionKey('ECDH-ES P-256');
    const cases: { name: string; entry: unknown; field: string; rule: string }[] = [
      { name: 'url', entry: { ...entry, afleveradressen: [{ url: 'not a url', kanaal: 'zicht-v1' }] }, field: 'afleveradressen[0].url', rule: 'CFG-001' },
      { name: 'kanaal', entry: { ...entry, afleveradressen: [{ url: 'http://127.0.0.1:1/v1', kanaal: 'smtp' }] }, field: 'afleveradressen[0].kanaal', rule: 'CFG-001' },
      { name: 'oin', entry: { ...entry, oin: DEMO_OIN.heerlen }, field: 'oin', rule: 'CFG-001' },
      { name: 'code', entry: { ...entry, gemeentecodes: ['GM0917'] }, field: 'gemeentecodes[0]', rule: 'CFG-001' },
      { name: 'rol', entry: { ...entry, rol: 'gateway' }, field: 'rol', rule: 'CFG-001' },
      { name: 'keys', entry: { ...entry, sleutels: [] }, field: 'sleutels', rule: 'CFG-001' },
      { name: 'kid', entry: { ...entry, sleutels: [{ ...(entry.sleutels as object[])[0], kid: 'A'.repeat(43) }] }, field: 'sleutels[0].kid', rule: 'CFG-001' },
      { name: 'fhir-enc', entry: { ...entry, afleveradressen: [{ url: 'http://127.0.0.1:1/fhir', kanaal: 'fhir' }], versleutelingssleutels: [encryption.sleutel] }, field: 'versleutelingssleutels', rule: 'ENC-002' },
    ];
    for (const c of cases) {
      const file = join(dir, `${c.name}.json`);
      writeFileSync(file, JSON.stringify(c.entry));
      const error = await startSandbox({ out: dir, port: 0, participants: [file], print: () => undefined }).then(() => undefined, (e: unknown) => e);
      expect(error, c.name).toBeInstanceOf(RegistryError);
      const message = (error as RegistryError).message;
      expect(message, c.name).toContain(file);
      expect(message, c.name).toContain(`${c.field}:`);
      expect(message, c.name).toMatch(new RegExp(`\\(${c.rule}\\)$`));
    }
    // Through the command: one line on stderr, exit 2.
    const file = join(dir, 'url.json');
    const run = await runCli('sandbox', '--out', dir, '--port', '0', '--participant', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('afleveradressen[0].url');
    expect(run.stderr).toContain('(CFG-001)');
  });

  it('zicht demo refuses --participant without --out (the sandbox)', async () => {
    const run = await runCli('demo', '--participant', 'x.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--participant needs --out');
  });
});
