/**
 * The participant registry's records, each change written with its leaf of the audit log.
 */
import { z } from 'zod';
import { Oin } from '../model/primitives.js';
import { keyState, registryLeaf } from './log-leaf.js';
import { insertLeaf, type SqlContext } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { parseRow, validate } from './validate.js';

const RecordRow = z.object({ record: z.string() });
const DeelnemerRecord = z.strictObject({ oin: Oin, record: z.string().min(2).max(1_000_000) });

/** The deelnemers table. See {@link StoreOperations} for what each method promises. */
export class DeelnemersSql implements Pick<StoreOperations, 'getDeelnemerRecord' | 'listDeelnemerRecords' | 'putDeelnemerRecord'> {
  constructor(private readonly sql: SqlContext) {}

  async getDeelnemerRecord(oin: string): Promise<string | undefined> {
    const key = validate(Oin, oin, 'OIN');
    const rows = await this.sql.use((ex) => ex.all('SELECT record FROM deelnemers WHERE oin = ?', [key]));
    return rows.length === 0 ? undefined : parseRow((row) => RecordRow.parse(row).record, rows[0]);
  }

  async listDeelnemerRecords(): Promise<string[]> {
    const rows = await this.sql.use((ex) => ex.all('SELECT record FROM deelnemers ORDER BY oin', []));
    return rows.map((row) => parseRow((r) => RecordRow.parse(r).record, row));
  }

  async putDeelnemerRecord(oin: string, record: string, replace: boolean): Promise<void> {
    const input = validate(DeelnemerRecord, { oin, record }, 'participant record');
    await this.sql.atomic(async (ex) => {
      const before = await ex.all('SELECT record FROM deelnemers WHERE oin = ?', [input.oin]);
      const previous = before.length === 0 ? undefined : parseRow((row) => RecordRow.parse(row).record, before[0]);
      await ex.run(
        replace ? 'INSERT INTO deelnemers (oin, record) VALUES (?, ?) ON CONFLICT (oin) DO UPDATE SET record = excluded.record' : 'INSERT INTO deelnemers (oin, record) VALUES (?, ?)',
        [input.oin, input.record],
      );
      if (previous === input.record) return;
      // Every change of the registry is a leaf of the audit log; a change of keys also a key rotation.
      const at = new Date();
      const keys = keyState(input.record);
      await insertLeaf(ex, { senderOin: input.oin, receiverOins: [], at, data: registryLeaf('registry.changed', input.oin, at, input.record, keys) });
      if (keys.join() !== keyState(previous).join()) {
        await insertLeaf(ex, { senderOin: input.oin, receiverOins: [], at, data: registryLeaf('key.rotated', input.oin, at, input.record, keys) });
      }
    });
  }
}
