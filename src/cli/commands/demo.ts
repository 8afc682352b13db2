/**
 * `zicht demo [--once] [--port N] [--fhir]`: the gateway and a demo network on localhost (see src/demo/demo.ts).
 * Exit 0 when the handover was delivered and both gemeenten acknowledged it, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { runDemo } from '../../demo/demo.js';
import { UsageError } from '../../errors.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht demo [--once] [--port N] [--fhir]

Starts the Zicht gateway and a demo network on localhost: Veilig Thuis Zuid-Limburg and the
lokaal teams of Heerlen (push) and Kerkrade (postbus). VT hands over a household living in both
gemeenten; both acknowledge with signed ontvangstbevestigingen; the trail is printed.

  --once     run the scenario once and exit (0 on success, 1 on failure)
  --port N   the gateway's port (default: a free one)
  --fhir     Heerlen's system receives FHIR R4 messages ($process-message) instead of Zicht berichten
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the gateway with a demo network (VT and two gemeenten) on localhost',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() =>
      parseArgs({ args: [...args], options: { once: { type: 'boolean', default: false }, port: { type: 'string' }, fhir: { type: 'boolean', default: false } }, strict: true }),
    );
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UsageError('--port must be 0 to 65535');
    const code = await runDemo({ once: values.once, fhir: values.fhir, ...(port === undefined ? {} : { port }), print: (line) => { io.stdout(`${line}\n`); } });
    return code === 0 ? EXIT.ok : EXIT.findings;
  },
};
