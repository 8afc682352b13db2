/**
 * `zicht sandbox --out DIR`: the demo network as a sandbox a vendor's own system joins. The gateway, the demo
 * VT (Veilig Thuis Zuid-Limburg, pushed to) and the demo gemeenten (Heerlen, pushed to with JWE; Kerkrade, reading
 * its postbus with JWE) run as in `zicht demo`, but with keys kept in DIR (./sandbox-files.ts), so that a system
 * configured once stays configured. DIR also gets ready participant entries for a vendor's gemeente and VT
 * system; each participant file given (`--participant FILE`) adds a system to the network:
 *
 * - a joining gemeente (or lokaal team) gets a handover from the demo VT at start and on each trigger
 *   (`POST` the trigger URL with `{"scenario":"overdracht"}`): the household of the spec's example, with its
 *   second gemeente (Kerkrade) replaced by the joining one; it answers with its receipts through the gateway.
 * - a joining VT sends handovers to the demo gemeenten; they verify them and answer with signed
 *   ontvangstbevestigingen (the automatic ontvangen, AFL-005, then geaccepteerd naming Heerlen to lead), which the gateway pushes to it or puts in
 *   its postbus.
 *
 * The gateway's database and KEK live for one run (a temporary folder): berichten do not survive a restart,
 * keys and entries do. What is printed is metadata only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import type { Bericht } from '../model/bericht.js';
import type { Deelnemer } from '../registry/deelnemer.js';
import { startGateway, type RunningGateway } from '../server/gateway.js';
import { Keyring } from '../store/keyring.js';
import { DEMO_CONSOLE_OIN } from './demo.js';
import { createDemoNetwork, DEMO_GEMEENTECODE, DEMO_OIN, exampleBericht } from './network.js';
import { startReferenceReceiver, type ReferenceReceiver } from './reference-receiver.js';
import { startReferenceVt, type ReferenceVt } from './reference-vt.js';
import { readParticipantFile, sandboxKeys, writeRegistry, writeSandboxInfo, writeVendorEntries, type SandboxInfo } from './sandbox-files.js';

/** The gateway port a sandbox listens on unless told otherwise: fixed, so that a joined system's configuration survives a restart. */
export const SANDBOX_PORT = 8700;

export interface SandboxOptions {
  /** The sandbox folder (made when missing). */
  readonly out: string;
  /** The gateway's port (default {@link SANDBOX_PORT}; 0 for any free one). */
  readonly port?: number;
  /** Participant files of the systems that join. */
  readonly participants?: readonly string[];
  readonly print: (line: string) => void;
  /** How often the demo Kerkrade reads its postbus (ms, default 500). */
  readonly postbusIntervalMs?: number;
}

/** A running sandbox. */
export interface RunningSandbox {
  readonly info: SandboxInfo;
  /** The systems that joined, as registered. */
  readonly joined: readonly Deelnemer[];
  readonly gateway: RunningGateway;
  /** What the demo systems took, in order: who, and the bericht (for tests; never printed beyond its metadata). */
  readonly received: readonly { readonly party: string; readonly bericht: Bericht }[];
  /** Problems the demo systems met (status or network codes only). */
  readonly problems: readonly string[];
  close(): Promise<void>;
}

/**
 * Deliveries are retried at most 5 seconds apart (a production gateway waits up to an hour): a system that
 * joins while it is being built gets what waits for it soon after it starts. Dead letters after a day.
 */
const SANDBOX_RETRY_POLICY = { baseMs: 500, maxDelayMs: 5_000, windowMs: 24 * 3_600_000 } as const;

const NAMES: Readonly<Record<string, string>> = {
  [DEMO_OIN.vtZuidLimburg]: 'Veilig Thuis Zuid-Limburg (demo)',
  [DEMO_OIN.heerlen]: 'Sociaal team Heerlen (demo)',
  [DEMO_OIN.kerkrade]: 'Sociaal team Kerkrade (demo)',
};

/** The demo VT's handover to a joining gemeente: the spec's example with Kerkrade (its second gemeente) replaced by it. */
function handoverTo(gemeente: Deelnemer): () => Bericht {
  const code = gemeente.gemeentecodes[0] ?? '';
  return () => {
    const example = exampleBericht('overdracht-na-dienst-onderzoek');
    const bericht = JSON.parse(JSON.stringify(example).replaceAll(`"${DEMO_GEMEENTECODE.kerkrade}"`, JSON.stringify(code))) as Bericht;
    return { ...bericht, ontvangers: bericht.ontvangers.map((o) => (o.oin === DEMO_OIN.kerkrade ? { ...o, oin: gemeente.oin, rol: gemeente.rol === 'gemeente' ? 'gemeente' : 'lokaal-team' } : o)) };
  };
}

/** Starts the sandbox; resolves once the gateway listens and DIR holds every file. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { print } = options;
  const dir = resolve(options.out);
  const keys = await sandboxKeys(dir);
  const entries = await writeVendorEntries(dir);
  const taken = new Set<string>([...Object.values(DEMO_OIN), ...Object.values(DEMO_CONSOLE_OIN)]);
  const joined: Deelnemer[] = [];
  for (const file of options.participants ?? []) {
    const deelnemer = await readParticipantFile(file, taken);
    taken.add(deelnemer.oin);
    joined.push(deelnemer);
  }
  const gemeente = joined.find((d) => d.rol === 'gemeente' || d.rol === 'lokaal-team');

  const names: Record<string, string> = { ...NAMES, ...Object.fromEntries(joined.map((d) => [d.oin, d.naam])) };
  const received: { party: string; bericht: Bericht }[] = [];
  const problems: string[] = [];
  const took = (party: string) => (bericht: Bericht) => {
    received.push({ party, bericht });
    print(`  ${names[party] ?? party} took ${bericht.berichtType} ${bericht.berichtId} from ${names[bericht.verzender.oin] ?? bericht.verzender.oin}: signatures verified`);
  };
  const problem = (party: string) => (text: string) => {
    problems.push(`${party}: ${text}`);
    print(`  ${names[party] ?? party}: ${text}`);
  };

  let gatewayUrl = '';
  const db = mkdtempSync(join(tmpdir(), 'zicht-sandbox-'));
  const started: { close(): Promise<void> }[] = [];
  let gateway: RunningGateway | undefined;
  try {
    const behandelaar = (naam: string) => ({ team: naam, telefoon: '045 000 0000' });
    const vt: ReferenceVt = await startReferenceVt({
      signer: keys.vtZuidLimburg,
      gatewayUrl: () => gatewayUrl,
      gatewayOin: DEMO_OIN.gateway,
      ...(gemeente === undefined ? {} : { template: handoverTo(gemeente) }),
      onReceived: took(DEMO_OIN.vtZuidLimburg),
      onProblem: problem(DEMO_OIN.vtZuidLimburg),
    });
    started.push(vt);
    const gemeenteSystem = async (party: 'heerlen' | 'kerkrade', postbus: boolean): Promise<ReferenceReceiver> => {
      const receiver = await startReferenceReceiver({
        signer: keys[party],
        rol: 'lokaal-team',
        gemeentecodes: [DEMO_GEMEENTECODE[party]],
        gatewayUrl: () => gatewayUrl,
        gatewayOin: DEMO_OIN.gateway,
        sendReceipts: true,
        receiptStatus: 'geaccepteerd',
        behandelaar: behandelaar(NAMES[DEMO_OIN[party]] ?? party),
        regie: () => DEMO_OIN.heerlen,
        decryptionKeys: [party === 'heerlen' ? keys.heerlenEncryption.key : keys.kerkradeEncryption.key],
        ...(postbus ? { postbus: { intervalMs: options.postbusIntervalMs ?? 500 } } : {}),
        onReceived: took(DEMO_OIN[party]),
        onProblem: problem(DEMO_OIN[party]),
      });
      started.push(receiver);
      return receiver;
    };
    const heerlen = await gemeenteSystem('heerlen', false);

    const network = await createDemoNetwork({ vtZuidLimburg: vt.url, heerlen: heerlen.url }, keys, { heerlen: [keys.heerlenEncryption.sleutel], kerkrade: [keys.kerkradeEncryption.sleutel] });
    await network.registry.add({ oin: DEMO_CONSOLE_OIN.auditor, rol: 'auditor', naam: 'Inspectie (demo)', status: 'actief' });
    await network.registry.add({ oin: DEMO_CONSOLE_OIN.operator, rol: 'operator', naam: 'Beheer Zicht Zuid-Limburg (demo)', status: 'actief' });
    for (const deelnemer of joined) await network.registry.add(deelnemer);
    gateway = await startGateway({ registry: network.registry, gateway: keys.gateway, db: join(db, 'zicht-sandbox.db'), port: options.port ?? SANDBOX_PORT, hostname: '127.0.0.1', allowPrivateEndpoints: true, keyring: Keyring.generate('sandbox'), console: { demo: true }, retryPolicy: SANDBOX_RETRY_POLICY });
    gatewayUrl = gateway.url;
    // Kerkrade reads its postbus: from now on, when there is a gateway to read it at.
    await gemeenteSystem('kerkrade', true);

    const deelnemers = await network.registry.list();
    const registryPath = writeRegistry(dir, deelnemers);
    const info: SandboxInfo = {
      gatewayUrl,
      gatewayOin: DEMO_OIN.gateway,
      trigger: vt.triggerUrl,
      participants: deelnemers.filter((d) => d.rol !== 'auditor' && d.rol !== 'operator').map((d) => ({ naam: d.naam, oin: d.oin, rol: d.rol, gemeentecodes: d.gemeentecodes })),
    };
    writeSandboxInfo(dir, info);

    print(`Zicht sandbox: gateway ${gatewayUrl} (OIN ${DEMO_OIN.gateway}; console ${gatewayUrl}/console)`);
    for (const p of info.participants) print(`  ${p.oin}  ${p.rol.padEnd(11)} ${p.naam}${p.gemeentecodes.length > 0 ? ` (${p.gemeentecodes.join(', ')})` : ''}`);
    print(`Files in ${dir}: ${registryPath.slice(dir.length + 1)} (the network), keys/ (the demo participants' private keys), sandbox.json and sandbox.env (gateway URL, OIN, trigger)`);
    print(`  Ready entries for your system: ${entries.gemeente} and ${entries.vt} (keys beside them); add one with --participant FILE`);
    print(`  The demo VT hands over when you POST {"scenario":"overdracht"} to ${vt.triggerUrl}`);
    if (joined.length === 0) print('  No system joined yet: restart with --participant FILE to add yours.');

    if (gemeente !== undefined) {
      const response = await request(vt.triggerUrl, { method: 'POST', body: JSON.stringify({ scenario: 'overdracht' }), headers: { 'content-type': 'application/json' } });
      await response.body.dump();
      print(`  The demo VT hands over to ${gemeente.naam} (${gemeente.oin}) and ${NAMES[DEMO_OIN.heerlen] ?? ''}`);
    }
    print('Sandbox ready.');

    const running = gateway;
    let closed = false;
    return {
      info,
      joined,
      gateway: running,
      received,
      problems,
      close: async () => {
        if (closed) return;
        closed = true;
        await vt.idle();
        // The demo systems first (Kerkrade stops reading its postbus), then the gateway.
        for (const s of started) await s.close();
        await running.close();
        rmSync(db, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const s of started) await s.close();
    await gateway?.close();
    rmSync(db, { recursive: true, force: true });
    throw error;
  }
}
