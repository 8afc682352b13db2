/**
 * The audit log (src/audit/): the sequencer's reads and writes, checkpoints, leaves for readers, salts.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { Oin, Uuid } from '../model/primitives.js';
import { LogCheckpoint, LogNode, type LeafFilter, type LogLeaf, type PendingLeaf } from './log-leaf.js';
import { chunks, Count, single, type SqlContext, Timestamp } from './sql-context.js';
import type { StoreOperations } from './store.js';
import { parseRow, validate } from './validate.js';

const SaltRow = z.object({ salt: z.string(), commitment: z.string() });
const MaxRow = z.object({ n: Count.nullable() });
const PendingRow = z.object({ id: Count, data: z.string() });
const NodeRow = z.object({ level: Count, idx: Count, hash: z.string() });
const CheckpointRow = z.object({ size: Count, root: z.string(), note: z.string(), at: Timestamp });
const LEAF_COLUMNS = 'leaf_index AS "index", data, sender_oin AS "senderOin", receiver_oins AS "receiverOins", at';
const LeafRow = z.object({ index: Count, data: z.string(), senderOin: z.string(), receiverOins: z.string(), at: Timestamp });
const toLeaf = (row: unknown): LogLeaf => {
  const r = LeafRow.parse(row);
  return { ...r, receiverOins: r.receiverOins.split(',').filter((oin) => oin !== '') };
};
const HEX_HASH = /^[0-9a-f]{64}$/;

const PendingLimit = z.int().min(1).max(100_000);
const NodeIds = z.array(LogNode.omit({ hash: true })).max(4096);
const LeafRange = z.strictObject({ start: z.int().min(0), end: z.int().min(0), oin: Oin.optional() });
/** The rows when every one passes `ok`; else `ZICHT_STORE_INVALID`. */
function checkedRows<T>(rows: readonly T[], ok: (row: T) => boolean, what: string): readonly T[] {
  if (!rows.every(ok)) throw new StoreError('ZICHT_STORE_INVALID', { message: `The ${what} do not match their schema.` });
  return rows;
}

/** The log_leaves, log_nodes, log_checkpoints and bericht_salts tables. See {@link StoreOperations} for what each method promises. */
export class AuditLogSql implements Pick<StoreOperations, 'getBerichtSalt' | 'lockLog' | 'logSize' | 'listPendingLeaves' | 'sequenceLeaves' | 'readLogNodes' | 'putCheckpoint' | 'setCheckpointNote' | 'latestCheckpoint' | 'listLogLeaves'> {
  constructor(private readonly sql: SqlContext) {}

  async getBerichtSalt(berichtId: string): Promise<{ salt: string; commitment: string } | undefined> {
    const id = validate(Uuid, berichtId, 'berichtId');
    const rows = await this.sql.use((ex) => ex.all('SELECT salt, commitment FROM bericht_salts WHERE bericht_id = ?', [id]));
    return rows.length === 0 ? undefined : parseRow((row) => SaltRow.parse(row), rows[0]);
  }

  async lockLog(): Promise<void> {
    await this.sql.atomic((ex) => this.sql.dialect.lockLog(ex));
  }

  async logSize(): Promise<number> {
    // MAX, not COUNT: one index lookup instead of a scan; leaves are numbered 0, 1, 2, … without gaps.
    const rows = await this.sql.use((ex) => ex.all('SELECT MAX(leaf_index) AS n FROM log_leaves', []));
    const last = parseRow((row) => MaxRow.parse(row).n, single(rows));
    return last === null ? 0 : last + 1;
  }

  async listPendingLeaves(limit: number): Promise<PendingLeaf[]> {
    const n = validate(PendingLimit, limit, 'limit');
    const rows = await this.sql.use((ex) => ex.all('SELECT id, data FROM log_leaves WHERE leaf_index IS NULL ORDER BY id LIMIT ?', [n]));
    return rows.map((row) => parseRow((r) => PendingRow.parse(r), row));
  }

  async sequenceLeaves(assignments: readonly { id: number; index: number }[], nodes: readonly LogNode[]): Promise<void> {
    // Checked by hand rather than with zod: a batch holds thousands of rows and this is the sequencer's hot path.
    const numbered = checkedRows(assignments, (a) => Number.isSafeInteger(a.id) && a.id >= 1 && Number.isSafeInteger(a.index) && a.index >= 0, 'leaf indices');
    const written = checkedRows(nodes, (n) => Number.isInteger(n.level) && n.level >= 0 && n.level <= 63 && Number.isSafeInteger(n.index) && n.index >= 0 && HEX_HASH.test(n.hash), 'tree nodes');
    await this.sql.atomic(async (ex) => {
      for (const part of chunks(numbered, 300)) {
        const changed = await ex.run(
          `UPDATE log_leaves SET leaf_index = v.column2 FROM (VALUES ${part.map(() => '(CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ')}) AS v
           WHERE log_leaves.id = v.column1 AND log_leaves.leaf_index IS NULL`,
          part.flatMap((a) => [a.id, a.index]),
        );
        if (changed !== part.length) throw new StoreError('ZICHT_STORE_CONFLICT', { message: 'A leaf was sequenced already.' });
      }
      for (const part of chunks(written, 300)) {
        await ex.run(`INSERT INTO log_nodes (level, idx, hash) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`, part.flatMap((n) => [n.level, n.index, n.hash]));
      }
    });
  }

  async readLogNodes(ids: readonly { level: number; index: number }[]): Promise<string[]> {
    const wanted = validate(NodeIds, ids, 'node ids');
    if (wanted.length === 0) return [];
    const rows = await this.sql.use((ex) =>
      ex.all(
        `SELECT level, idx, hash FROM log_nodes WHERE (level, idx) IN (VALUES ${wanted.map(() => '(CAST(? AS INTEGER), CAST(? AS BIGINT))').join(', ')})`,
        wanted.flatMap((id) => [id.level, id.index]),
      ),
    );
    const found = new Map(rows.map((row) => parseRow((r) => NodeRow.parse(r), row)).map((n) => [`${n.level}/${n.idx}`, n.hash]));
    return wanted.map((id) => {
      const hash = found.get(`${id.level}/${id.index}`);
      if (hash === undefined) throw new StoreError('ZICHT_STORE_NOT_FOUND', { message: 'A node of the audit log tree is not stored.' });
      return hash;
    });
  }

  async putCheckpoint(checkpoint: LogCheckpoint): Promise<void> {
    const c = validate(LogCheckpoint, checkpoint, 'checkpoint');
    await this.sql.use((ex) => ex.run('INSERT INTO log_checkpoints (size, root, note, at) VALUES (?, ?, ?, ?)', [c.size, c.root, c.note, c.at]));
  }

  async setCheckpointNote(size: number, note: string): Promise<void> {
    const c = validate(LogCheckpoint.pick({ size: true, note: true }), { size, note }, 'checkpoint note');
    await this.sql.use((ex) => ex.run('UPDATE log_checkpoints SET note = ? WHERE size = ?', [c.note, c.size]));
  }

  async latestCheckpoint(): Promise<LogCheckpoint | undefined> {
    const rows = await this.sql.use((ex) => ex.all('SELECT size, root, note, at FROM log_checkpoints ORDER BY size DESC LIMIT 1', []));
    return rows.length === 0 ? undefined : parseRow((row) => CheckpointRow.parse(row), rows[0]);
  }

  async listLogLeaves(start: number, end: number, filter: LeafFilter = {}): Promise<LogLeaf[]> {
    const range = validate(LeafRange, { start, end, ...filter }, 'leaf range');
    const rows = await this.sql.use((ex) =>
      range.oin === undefined
        ? ex.all(`SELECT ${LEAF_COLUMNS} FROM log_leaves WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index`, [range.start, range.end])
        : ex.all(
            `SELECT ${LEAF_COLUMNS} FROM log_leaves WHERE leaf_index >= ? AND leaf_index < ? AND (sender_oin = ? OR receiver_oins LIKE ?) ORDER BY leaf_index`,
            [range.start, range.end, range.oin, `%,${range.oin},%`],
          ),
    );
    return rows.map((row) => parseRow((r) => toLeaf(r), row));
  }
}
