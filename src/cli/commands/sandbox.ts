/**
 * `zicht sandbox --out DIR [--participant FILE]... [--port N]`: the demo network as a sandbox a vendor's own
 * system joins (src/demo/sandbox.ts). Writes DIR (keys, registry, ready participant entries, sandbox.json and
 * sandbox.env) and keeps running until SIGINT or SIGTERM. Exit 0 when stopped, 2 when it cannot start (a
 * refused participant file names the file, the field and the rule; a port in use).
 */
import { parseArgs } from 'node:util';
import { startSandbox, SANDBOX_PORT } from '../../demo/sandbox.js';
import { SANDBOX_VENDOR } from '../../demo/sandbox-files.js';
import { UsageError } from '../../errors.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht sandbox --out DIR [--participant FILE]... [--port N]

Runs the Zicht gateway with the demo network (Veilig Thuis Zuid-Limburg; the lokaal teams of Heerlen, pushed
to, and Kerkrade, reading its postbus) as a sandbox your own VT or gemeente system joins. Keeps running until
Ctrl-C. Guide: docs/getting-started.md.

  --out DIR           the sandbox folder: written on the first run, reused after (keys are kept)
  --participant FILE  a participant file: your system's registry entry (docs/getting-started.md); repeatable
  --port N            the gateway's port (default ${SANDBOX_PORT}; 0 for any free port)

DIR holds:
  registry.json                         the network's registry (every participant and its public keys)
  keys/*.private.jwk.json               the demo participants' private keys (gateway, vt, heerlen, kerkrade)
  vendor/gemeente.participant.json      a ready entry for your gemeente system (OIN ${SANDBOX_VENDOR.gemeente.oin},
                                        ${SANDBOX_VENDOR.gemeente.gemeentecode}, pushed to http://127.0.0.1:${SANDBOX_VENDOR.gemeente.port}/v1)
  vendor/vt.participant.json            a ready entry for your VT system (OIN ${SANDBOX_VENDOR.vt.oin},
                                        pushed to http://127.0.0.1:${SANDBOX_VENDOR.vt.port}/v1)
  vendor/*.private.jwk.json, *.jwks.json  their private keys and public key sets (zicht conformance --sut-jwks)
  sandbox.json, sandbox.env             the gateway URL and OIN, and the demo VT's trigger URL

A joined gemeente gets a handover from the demo VT at start and whenever {"scenario":"overdracht"} is
POSTed to the trigger URL; a joined VT sends to the demo gemeenten, which answer with signed receipts.

Exit: 0 stopped (Ctrl-C), 2 cannot start (a refused participant file: file, field and rule; a port in use).
`;

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'run the demo network as a sandbox your own VT or gemeente system joins',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() =>
      parseArgs({ args: [...args], options: { out: { type: 'string' }, participant: { type: 'string', multiple: true, default: [] }, port: { type: 'string' } }, strict: true }),
    );
    if (values.out === undefined) throw new UsageError('--out DIR is required');
    const port = values.port === undefined ? SANDBOX_PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0 to 65535');
    return runSandboxUntilStopped({ out: values.out, port, participants: values.participant }, (line) => { io.stdout(`${line}\n`); });
  },
};

/** Runs the sandbox until SIGINT or SIGTERM (shared by `zicht demo --out`). */
export async function runSandboxUntilStopped(options: { readonly out: string; readonly port: number; readonly participants: readonly string[] }, print: (line: string) => void): Promise<0> {
  const sandbox = await startSandbox({ ...options, print });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => { resolve(); });
    process.once('SIGTERM', () => { resolve(); });
  });
  await sandbox.close();
  return EXIT.ok;
}
