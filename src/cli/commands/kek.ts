/**
 * `zicht kek`: the key-encryption keys (KEKs) of payloads at rest (src/store/keyring.ts): make a keyring,
 * add a KEK for a rotation, re-wrap the payloads under the current one, and see which KEKs are in use.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { IoError, UsageError } from '../../errors.js';
import { defaultKekId, KekId, Keyring, loadKeyring } from '../../store/keyring.js';
import { openExistingStore } from '../../store/existing.js';
import { rewrapAll } from '../../store/rewrap.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readFileOrFail } from './sign.js';

const usage = `usage: zicht kek generate --out FILE [--id ID]
       zicht kek add --file FILE [--id ID] [--current]
       zicht kek rewrap [--db URL] [--kek-file FILE]
       zicht kek status [--db URL]

generate  writes a new keyring (mode 0600) with one random 256-bit KEK, current. Keep it apart from the
          database and its backups; give it to 'zicht serve --kek-file' (or $ZICHT_KEK_FILE / $ZICHT_KEK).
add       adds a new random KEK to the keyring FILE; with --current it becomes the one new payloads use.
          Rotation without downtime: add (not current) and reload every gateway (SIGHUP), then
          add --current or edit "current", reload again; the gateways re-wrap older payloads in the
          background (or run 'zicht kek rewrap'); when 'status' shows 0 under the old KEK, remove it.
rewrap    re-wraps every unpurged payload under the current KEK (and encrypts payloads stored unencrypted)
status    how many unpurged payloads are under each KEK id ('(unencrypted)' for none); no keys needed

The id defaults to kek-YYYY-MM-DD. Keys are never printed. Exit: 0 done, 2 usage or I/O error.
`;

function write(path: string, text: string, flag: 'w' | 'wx'): void {
  try {
    writeFileSync(path, text, { mode: 0o600, flag });
  } catch (error) {
    throw new IoError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

export const kekCommand: Command = {
  name: 'kek',
  summary: 'key-encryption keys of payloads at rest: generate, add (rotate), rewrap, status',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    const { values } = withUsageErrors(() =>
      parseArgs({
        args: rest,
        options: { out: { type: 'string' }, file: { type: 'string' }, id: { type: 'string' }, current: { type: 'boolean', default: false }, db: { type: 'string' }, 'kek-file': { type: 'string' } },
        strict: true,
      }),
    );
    const id = values.id ?? defaultKekId();
    if (!KekId.safeParse(id).success) throw new UsageError('--id is 1 to 64 letters, digits, dots, dashes or underscores');
    const db = values.db ?? process.env.DATABASE_URL;
    switch (action) {
      case 'generate': {
        if (values.out === undefined) throw new UsageError('--out FILE is required');
        write(values.out, Keyring.generate(id).exportText(), 'wx');
        io.stdout(`wrote a keyring with KEK ${id} (current) to ${values.out}\n`);
        return EXIT.ok;
      }
      case 'add': {
        if (values.file === undefined) throw new UsageError('--file FILE is required');
        const next = Keyring.parse(readFileOrFail(values.file).toString('utf8')).withNewKey(id, values.current);
        write(values.file, next.exportText(), 'w');
        io.stdout(`added KEK ${id} to ${values.file}; current: ${next.currentId}\n`);
        return EXIT.ok;
      }
      case 'rewrap': {
        const keyring = loadKeyring(values['kek-file']);
        if (keyring === undefined) throw new UsageError('give --kek-file FILE (or $ZICHT_KEK_FILE / $ZICHT_KEK)');
        const store = await openExistingStore(db, { keyring });
        try {
          io.stdout(`${await rewrapAll(store)} payload(s) re-wrapped under KEK ${keyring.currentId}\n`);
        } finally {
          await store.close();
        }
        return EXIT.ok;
      }
      case 'status': {
        const store = await openExistingStore(db);
        try {
          const counts = [...(await store.countBodiesByKek())].sort(([a], [b]) => a.localeCompare(b));
          for (const [kek, n] of counts) io.stdout(`${kek === '' ? '(unencrypted)' : kek} ${n}\n`);
          if (counts.length === 0) io.stdout('no unpurged payloads\n');
        } finally {
          await store.close();
        }
        return EXIT.ok;
      }
      case undefined:
      default:
        throw new UsageError('give an action: generate, add, rewrap or status');
    }
  },
};
