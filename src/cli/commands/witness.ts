/**
 * `zicht witness`: run a C2SP tlog-witness for one or more Zicht logs (src/witness/), the role of the
 * inspectorate, the VNG or a regional audit office. A thin layer over `createWitness` and `startWitnessServer`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cosignerOf } from '../../audit/cosignature.js';
import { generateLogKey, loadLogSigner } from '../../audit/log-key.js';
import { parseVerifierKey } from '../../audit/note-key.js';
import { AuditError, IoError, UsageError } from '../../errors.js';
import { startWitnessServer } from '../../witness/server.js';
import { createWitness } from '../../witness/witness.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readFileOrFail } from './sign.js';

const usage = `usage: zicht witness keygen --name NAME --out FILE
       zicht witness serve --key FILE --state FILE --log VKEY [--log VKEY ...] [--port N] [--host H]

keygen   writes a new witness key (PRIVATE+KEY+NAME+…, mode 0600) and prints its cosigner key
         (NAME+keyid+base64(0x04 || key)): give that to the gateways' operators and to auditors
         (zicht audit verify --witness, zicht audit monitor --witness).
serve    answers POST /add-checkpoint (C2SP tlog-witness) for the logs whose verifier keys are given
         with --log (GET /v1/log/key of each gateway, checked out of band; the key name is the log's
         origin): it cosigns a checkpoint only when it is consistent with the last one it cosigned for
         that log, and refuses a fork (409) or a proof that does not verify (422), keeping the refused
         submission in --state as evidence. --state is the durable state (created when absent; a
         restarted witness continues from it). Default port 8090 on 127.0.0.1. GET /key shows its key.

Exit: 0 written or stopped (SIGINT, SIGTERM), 2 usage or I/O error.
`;

export const witnessCommand: Command = {
  name: 'witness',
  summary: 'run a witness that cosigns consistent checkpoints of Zicht logs (C2SP tlog-witness)',
  usage,
  async run(args, io) {
    const [sub = '', ...rest] = args;
    if (sub === 'keygen') {
      const { values } = withUsageErrors(() => parseArgs({ args: rest, options: { name: { type: 'string' }, out: { type: 'string' } }, strict: true }));
      if (values.name === undefined || values.out === undefined) throw new UsageError('--name NAME and --out FILE are required');
      let key: string;
      try {
        key = generateLogKey(values.name);
      } catch {
        throw new UsageError('--name must be non-empty, without spaces or "+"');
      }
      try {
        writeFileSync(values.out, `${key}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw new IoError(`cannot write ${values.out} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
      }
      io.stdout(`${cosignerOf(loadLogSigner(key)).vkey}\n`);
      return EXIT.ok;
    }
    if (sub !== 'serve') throw new UsageError("the witness subcommands are 'keygen' and 'serve'");
    const { values } = withUsageErrors(() =>
      parseArgs({ args: rest, options: { key: { type: 'string' }, state: { type: 'string' }, log: { type: 'string', multiple: true }, port: { type: 'string', default: '8090' }, host: { type: 'string', default: '127.0.0.1' } }, strict: true }),
    );
    if (values.key === undefined || values.state === undefined || values.log === undefined || values.log.length === 0) throw new UsageError('--key FILE, --state FILE and at least one --log VKEY are required');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0 to 65535');
    const logs = values.log.map((vkey) => {
      try {
        return parseVerifierKey(vkey);
      } catch (error) {
        if (error instanceof AuditError) throw new UsageError('--log is not a signed-note verifier key (name+keyid+base64)');
        throw error;
      }
    });
    const cosigner = cosignerOf(loadLogSigner(readFileOrFail(values.key).toString('utf8')));
    const witness = createWitness({ cosigner, logs, stateFile: values.state });
    const running = await startWitnessServer(witness, cosigner, { port, hostname: values.host });
    io.stdout(`zicht witness ${cosigner.vkey} listening at ${running.url} for ${logs.map((l) => l.name).join(', ')}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => { resolve(); });
      process.once('SIGTERM', () => { resolve(); });
    });
    await running.close();
    return EXIT.ok;
  },
};
