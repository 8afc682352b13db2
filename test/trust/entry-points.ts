/**
 * One bericht text through each door that judges it, reduced to what each door says: the rule and the
 * reason code, or `accepted`. The library (readJson + verifyBericht, as a receiver's system calls them),
 * the CLI (`zicht verify --registry FILE --at T`, in-process through main()) and the gateway
 * (POST /v1/berichten with a bearer token, app.request()). Used by the defect matrix (one defect, one
 * code) and the attack matrix (issue 16).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { DEMO_OIN, type DemoNetwork, type DemoParty } from '../../src/demo/network.js';
import { CanonicalError, KeyError, SignatureError } from '../../src/errors.js';
import { registryToFile } from '../../src/registry/file.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { signatureRuleFor } from '../../src/rules/gateway.js';
import { readJson } from '../../src/rules/input.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import type { ClockPolicy } from '../../src/signing/clock.js';
import { verifyBericht } from '../../src/signing/verify.js';

/** What a door said: the rule and reason code of its refusal, or that it accepted. */
export type Judged = { readonly rule: string; readonly code: string } | 'accepted';

const CODE = /\((ZICHT_[A-Z_]+)\)/;

/** Through the library as a receiver's system calls it: the strict reader, then verifyBericht at `now`. */
export async function throughLibrary(text: string, network: DemoNetwork, now: Date, clock?: ClockPolicy): Promise<Judged> {
  const read = readJson(text);
  if (!read.ok) {
    const issue = read.issues[0];
    return { rule: issue?.rule ?? '', code: CODE.exec(issue?.message ?? '')?.[1] ?? '' };
  }
  try {
    await verifyBericht(read.value, { keys: registryKeyResolver(network.registry), now, ...(clock === undefined ? {} : { clock }) });
    return 'accepted';
  } catch (error) {
    if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) return { rule: signatureRuleFor(error.code), code: error.code };
    throw error;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'zicht-trust-'));
let files = 0;

/** Through `zicht verify FILE --registry FILE --at now`: the registry as it is now, written to a file. */
export async function throughCli(text: string, network: DemoNetwork, now: Date): Promise<Judged> {
  const n = ++files;
  const berichtPath = join(dir, `bericht-${n}.json`);
  const registryPath = join(dir, `registry-${n}.json`);
  writeFileSync(berichtPath, text);
  writeFileSync(registryPath, JSON.stringify(await registryToFile(network.registry)));
  let out = '';
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (out += t) };
  const code = await main(['verify', berichtPath, '--registry', registryPath, '--at', now.toISOString()], io);
  if (code === 0) return 'accepted';
  const found = /invalid (ZICHT_[A-Z_]+) \(([A-Z]{3}-\d{3})\)/.exec(out);
  if (code !== 1 || found === null) throw new Error(`zicht verify exited ${code}: ${out}`);
  return { rule: found[2] ?? '', code: found[1] ?? '' };
}

/** Something that answers requests like the gateway's hono app. */
export interface Gateway {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

/** Through POST /v1/berichten as `party`, with a bearer token made at `now` (the party's clock). */
export async function throughGateway(app: Gateway, network: DemoNetwork, party: DemoParty, text: string, now: Date): Promise<Judged> {
  const token = await createBearerToken(network.signers[party], DEMO_OIN.gateway, { now });
  const response = await app.request('/v1/berichten', { method: 'POST', body: text, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  if (response.status === 202) return 'accepted';
  const body = (await response.json()) as { issues?: { rule: string; message: string }[] };
  const issue = body.issues?.[0];
  return { rule: issue?.rule ?? `HTTP ${response.status}`, code: CODE.exec(issue?.message ?? '')?.[1] ?? '' };
}
