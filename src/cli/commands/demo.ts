/**
 * `zicht demo [--once] [--port N] [--fhir]` (or `--out DIR`: the sandbox, ./sandbox.ts): the gateway and a demo network on localhost (see src/demo/demo.ts).
 * Exit 0 when the handover was delivered and both gemeenten acknowledged it, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { runDemo } from '../../demo/demo.js';
import { SANDBOX_PORT } from '../../demo/sandbox.js';
import { runSandboxUntilStopped } from './sandbox.js';
import { UsageError } from '../../errors.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht demo [--once] [--port N] [--fhir]
       zicht demo --out DIR [--participant FILE]... [--port N]   (the same as zicht sandbox)

Starts the Zicht gateway and a demo network on localhost: Veilig Thuis Zuid-Limburg and the
lokaal teams of Heerlen (push) and Kerkrade (postbus). VT hands over a household living in both
gemeenten; both acknowledge with signed ontvangstbevestigingen; the trail is printed.

  --once     run the scenario once and exit (0 on success, 1 on failure)
  --port N   the gateway's port (default: a free one)
  --fhir     Heerlen's system receives FHIR R4 messages ($process-message) instead of Zicht berichten
  --out DIR  run the network as a sandbox your own system joins, with its files in DIR (zicht sandbox --help)
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the gateway with a demo network (VT and two gemeenten) on localhost',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() =>
      parseArgs({ args: [...args], options: { once: { type: 'boolean', default: false }, port: { type: 'string' }, fhir: { type: 'boolean', default: false }, out: { type: 'string' }, participant: { type: 'string', multiple: true } }, strict: true }),
    );
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UsageError('--port must be 0 to 65535');
    if (values.out !== undefined) {
      if (values.once || values.fhir) throw new UsageError('--out runs the sandbox (zicht sandbox), which has no --once or --fhir');
      return runSandboxUntilStopped({ out: values.out, port: port ?? SANDBOX_PORT, participants: values.participant ?? [] }, (line) => { io.stdout(`${line}\n`); });
    }
    if (values.participant !== undefined) throw new UsageError('--participant needs --out DIR (zicht sandbox)');
    const code = await runDemo({ once: values.once, fhir: values.fhir, ...(port === undefined ? {} : { port }), print: (line) => { io.stdout(`${line}\n`); } });
    return code === 0 ? EXIT.ok : EXIT.findings;
  },
};
