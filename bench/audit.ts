/**
 * The audit log (src/audit/), each figure a ratio to a baseline measured in the same run (interleaved rounds,
 * medians; bench/harness.ts):
 * - log appends: BATCH (1,000) leaf rows inserted in one transaction, then the sequencer numbering them and
 *   storing their tree nodes (`sequenceBatch`, a second transaction), on SQLite (WAL, synchronous=FULL), vs a
 *   bare better-sqlite3 insert of BATCH rows in one transaction. Leaves/s = batches/s x BATCH. Target: >= 20,000
 *   leaves/s. A batch of 1,000 is what the gateway's sequencer takes under load (it takes up to 5,000 pending
 *   leaves at a time); each commit costs an fsync, so the batch size decides the figure.
 * - event appends: one transaction of BATCH `appendEvent` calls (event row + its leaf, the gateway's real
 *   path), then `sequenceBatch`, vs a bare better-sqlite3 insert of BATCH rows in one transaction.
 * - proofs: an inclusion proof of a random leaf read from the stored tree (`proofHashes(inclusionPlan)`
 *   over `storeNodeReader`) in trees of 10^3, 10^5 and 10^6 leaves, vs a bare SHA-256 of a leaf; and the
 *   proof at 10^6 vs the proof at 10^3 directly. Target: at 10^6 at most 3x the time at 10^3 (ratio >= 0.333).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { leafHash } from '../src/audit/hash.js';
import { inclusionPlan, proofHashes } from '../src/audit/proof.js';
import { sequenceBatch } from '../src/audit/sequencer.js';
import { storeNodeReader } from '../src/audit/store-reader.js';
import { appendLeaves, EMPTY_BORDER } from '../src/audit/tree.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { compare, type Figure } from './harness.js';

const BATCH = 1_000;
const OIN = '00000004000000010001';

function rawDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/** A store whose tree holds `size` leaves, written straight into log_nodes (building it through the sequencer would take minutes). */
async function treeOf(dir: string, size: number): Promise<Store> {
  const file = join(dir, `tree-${size}.db`);
  await (await openStore(file)).close();
  const db = rawDatabase(file);
  const leaves = Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`{"v":1,"i":${i}}`)));
  const { nodes } = appendLeaves(EMPTY_BORDER, leaves);
  const insert = db.prepare('INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const n of nodes) insert.run(n.level, Number(n.index), Buffer.from(n.hash).toString('hex'));
  })();
  db.close();
  return openStore(file);
}

/** Runs the audit log benchmarks. */
export async function benchAudit(rounds: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-bench-audit-'));
  const figures: Figure[] = [];
  try {
    // Appends.
    const store = await openStore(join(dir, 'appends.db'));
    const berichtId = randomUUID();
    const body = JSON.stringify({ berichtId, berichtType: 'overdracht', dossier: { referentie: 'VTZL-2026-000001', volgnummer: 1 } });
    await store.insertBericht({ berichtId, senderOin: OIN, berichtType: 'overdracht', dossierReferentie: 'VTZL-2026-000001', volgnummer: 1, contentHash: createHash('sha256').update(body).digest('hex'), body, receivedAt: new Date(), receipt: '{}' });
    const bare = rawDatabase(join(dir, 'bare.db'));
    bare.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, oin TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL)');
    const bareInsert = bare.prepare('INSERT INTO rows (oin, at, data) VALUES (?, ?, ?)');
    const sample = 'x'.repeat(400);
    const bareBatch = bare.transaction(() => {
      for (let i = 0; i < BATCH; i++) bareInsert.run(OIN, Date.now(), sample);
    });
    // The log's own append path: leaf rows as appendEvent writes them, then the sequencer.
    const leafDb = rawDatabase(join(dir, 'appends.db'));
    const leafInsert = leafDb.prepare('INSERT INTO log_leaves (sender_oin, receiver_oins, at, data) VALUES (?, ?, ?, ?)');
    const leafBatch = leafDb.transaction(() => {
      for (let i = 0; i < BATCH; i++) leafInsert.run(OIN, `,${OIN},`, Date.now(), sample);
    });
    figures.push(
      await compare(
        `append ${BATCH} leaves + sequence them (SQLite), per batch`,
        { label: `leaf insert x${BATCH} in one transaction + sequenceBatch`, op: async () => { leafBatch(); await sequenceBatch(store, BATCH); } },
        { label: `bare better-sqlite3 insert x${BATCH} in one transaction (other file)`, op: () => { bareBatch(); } },
        { rounds, roundMs: 400 },
      ),
    );
    leafDb.close();
    figures.push(
      await compare(
        `append ${BATCH} events with leaves + sequence (SQLite), per batch`,
        {
          label: `appendEvent x${BATCH} in one transaction + sequenceBatch`,
          op: async () => {
            await store.transaction(async (tx) => {
              const at = new Date();
              for (let i = 0; i < BATCH; i++) await tx.appendEvent({ type: 'delivery.delivered', berichtId, oin: OIN, at, data: { attempts: 1 } });
            });
            await sequenceBatch(store, BATCH);
          },
        },
        { label: `bare better-sqlite3 insert x${BATCH} in one transaction`, op: () => { bareBatch(); } },
        { rounds, roundMs: 400 },
      ),
    );
    bare.close();
    await store.close();

    // Proofs.
    const sizes = [1_000, 100_000, 1_000_000];
    const trees = new Map<number, Store>();
    for (const size of sizes) trees.set(size, await treeOf(dir, size));
    const proofAt = (size: number) => {
      const tree = trees.get(size);
      if (tree === undefined) throw new Error('no tree');
      const read = storeNodeReader(tree);
      return async () => {
        const index = BigInt(Math.floor(Math.random() * size));
        await proofHashes(inclusionPlan(index, BigInt(size)), read);
      };
    };
    const leaf = Buffer.from('{"v":1,"type":"bericht.accepted"}');
    for (const size of sizes) {
      figures.push(await compare(`inclusion proof at ${size} leaves (SQLite)`, { label: 'proofHashes(inclusionPlan) from stored nodes', op: proofAt(size) }, { label: 'SHA-256 of one leaf', op: () => leafHash(leaf) }, { rounds, roundMs: 300 }));
    }
    figures.push(await compare('inclusion proof at 10^6 vs at 10^3 leaves', { label: 'proof at 1,000,000', op: proofAt(1_000_000) }, { label: 'proof at 1,000', op: proofAt(1_000) }, { rounds, roundMs: 300, target: 1 / 3 }));
    for (const tree of trees.values()) await tree.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
