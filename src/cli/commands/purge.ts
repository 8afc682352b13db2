/**
 * `zicht purge`: purges the payloads whose retention ran out (src/retention/), or with `--dry-run` lists
 * them. A thin layer over `purgePayloads`; the gateway runs the same on a schedule.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { RetentionPolicy } from '../../retention/policy.js';
import { purgePayloads } from '../../retention/purge.js';
import { loadKeyring } from '../../store/keyring.js';
import { openExistingStore } from '../../store/existing.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readJsonFile } from './sign.js';

const usage = `usage: zicht purge [--db URL] [--dry-run] [--retention FILE] [--at ISO] [--limit N] [--kek-file FILE]

Purges the payloads (bericht content) whose retention ran out: the payload is replaced by its metadata
residue, its audit salt and its wrapped data key are deleted, and a 'bericht.purged' event is recorded.
The envelope, deliveries, events and the audit log stay; the audit log still verifies.
Then deletes the metadata of dossiers whose audit period ran out (auditPeriodYears after their last
activity, every payload purged): a dossier goes whole, recorded by a 'dossier.expired' leaf of the audit
log with counts only. The audit log itself is append-only and still verifies.

  --db URL          a SQLite file (default ./zicht.db, or $DATABASE_URL) or postgres://user@host/db
  --dry-run         only list what would go: bericht id, type, reason, received at, dossier; dossiers past
                    the audit period with their last activity (metadata only)
  --retention FILE  the retention policy (JSON, src/retention/policy.ts); default: the documented defaults
  --at ISO          judge as at this time instead of now (e.g. --dry-run --at next week)
  --limit N         at most N berichten (default 500)
  --kek-file FILE   the keyring, when payloads are encrypted at rest (default $ZICHT_KEK_FILE or $ZICHT_KEK):
                    the residue a purge keeps is taken from the decrypted payload. Not needed for --dry-run.

Exit: 0 done, 2 usage or I/O error.
`;

export const purgeCommand: Command = {
  name: 'purge',
  summary: 'purge payloads whose retention ran out (--dry-run: list them)',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: {
          db: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
          retention: { type: 'string' },
          at: { type: 'string' },
          limit: { type: 'string', default: '500' },
          'kek-file': { type: 'string' },
        },
        strict: true,
      }),
    );
    const now = values.at === undefined ? new Date() : new Date(values.at);
    if (Number.isNaN(now.getTime())) throw new UsageError('--at must be an ISO 8601 time');
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be 1 to 10000');
    const parsed = RetentionPolicy.safeParse(values.retention === undefined ? {} : readJsonFile(values.retention));
    if (!parsed.success) throw new UsageError(`--retention does not match the policy's schema (${[...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(file)'))].join(', ')})`);

    const keyring = loadKeyring(values['kek-file']);
    const store = await openExistingStore(values.db ?? process.env.DATABASE_URL, keyring === undefined ? {} : { keyring });
    try {
      const report = await purgePayloads(store, { policy: parsed.data, now, dryRun: values['dry-run'], limit });
      for (const c of report.candidates) {
        io.stdout(`${report.dryRun ? 'would purge' : 'due'} ${c.berichtId} ${c.berichtType} reason=${c.reason} received=${c.receivedAt.toISOString()} dossier=${c.dossierReferentie}\n`);
      }
      io.stdout(report.dryRun ? `${report.candidates.length} payload(s) would be purged (dry run: nothing changed)\n` : `${report.purged} payload(s) purged\n`);
      const { metadata } = report;
      for (const d of metadata.candidates) {
        io.stdout(`${metadata.dryRun ? 'would delete' : 'due'} dossier ${d.dossierReferentie} berichten=${d.berichten} last-activity=${d.lastActivity.toISOString()}\n`);
      }
      io.stdout(
        metadata.dryRun
          ? `${metadata.candidates.length} dossier(s) past the audit period (last activity at or before ${metadata.before.toISOString()}) would be deleted (dry run: nothing changed)\n`
          : `${metadata.expired} dossier(s) past the audit period deleted: ${metadata.removed.berichten} bericht(en), ${metadata.removed.deliveries} deliveries, ${metadata.removed.events} events, ${metadata.removed.termijnen} termijnen\n`,
      );
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
