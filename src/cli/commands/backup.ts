/**
 * `zicht backup --out FILE [--db URL]`: an online backup of the gateway's database (src/store/backup.ts).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { backupDatabase } from '../../store/backup.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht backup --out FILE [--db URL]

Copies the gateway's database (default ./zicht.db, or $DATABASE_URL) to FILE while the gateway runs, without
changing or migrating it. FILE must not exist.
  SQLite       SQLite's online backup: FILE is a complete database. Restore: stop the gateway, put FILE in
               the database's place (remove the old -wal and -shm files), start it.
  PostgreSQL   pg_dump --format=custom --no-owner (needs pg_dump, the PostgreSQL client tools): FILE is one
               consistent snapshot. Restore: createdb NEW && pg_restore --no-owner -d NEW FILE.
Then 'zicht audit check-store --db COPY' and 'zicht audit verify' on an export prove the copy
(docs/operations.md, "Backup and restore").

Exit: 0 written, 2 usage or I/O error (no Zicht database there, FILE exists, pg_dump missing or failing).
`;

export const backupCommand: Command = {
  name: 'backup',
  summary: "copy the gateway's database while it runs (SQLite online backup, or pg_dump)",
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() => parseArgs({ args: [...args], options: { out: { type: 'string' }, db: { type: 'string' } }, strict: true }));
    if (values.out === undefined) throw new UsageError('--out FILE is required');
    const report = await backupDatabase(values.out, values.db ?? process.env.DATABASE_URL);
    io.stdout(report.backend === 'sqlite' ? `backed up ${report.pages} page(s) to ${report.file}\n` : `backed up with pg_dump (${report.bytes} bytes, custom format) to ${report.file}; restore with pg_restore\n`);
    return EXIT.ok;
  },
};
