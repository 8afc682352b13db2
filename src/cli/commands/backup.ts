/**
 * `zicht backup --out FILE [--db URL]`: an online backup of the gateway's SQLite database (src/store/backup.ts).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { backupSqlite } from '../../store/backup.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht backup --out FILE [--db URL]

Copies the gateway's SQLite database (default ./zicht.db, or $DATABASE_URL) to FILE with SQLite's online
backup, while the gateway runs: a complete, consistent database. FILE must not exist. Restore: stop the
gateway, put FILE in the database's place (remove the old -wal and -shm files), start it; then
'zicht audit check-store --db FILE' and 'zicht audit verify' on an export prove the copy (docs/operations.md).
A PostgreSQL database is backed up with pg_dump -Fc and restored with pg_restore (docs/operations.md).

Exit: 0 written, 2 usage or I/O error (no database there, FILE exists, a PostgreSQL URL).
`;

export const backupCommand: Command = {
  name: 'backup',
  summary: "copy the gateway's SQLite database while it runs (online backup)",
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() => parseArgs({ args: [...args], options: { out: { type: 'string' }, db: { type: 'string' } }, strict: true }));
    if (values.out === undefined) throw new UsageError('--out FILE is required');
    const report = await backupSqlite(values.out, values.db ?? process.env.DATABASE_URL);
    io.stdout(`backed up ${report.pages} page(s) to ${report.file}\n`);
    return EXIT.ok;
  },
};
