/**
 * A/B of the store's accept writes in two builds, in one process, rounds interleaved: `npx tsx bench/ab-store.ts
 * DIR_A DIR_B` (each a built checkout with dist/). Per round and build: AB_N transactions of what the accept path
 * writes for one bericht (insertBericht with its drawn commitment, one delivery, the accepted event) on a fresh
 * SQLite file (or PostgreSQL schema with AB_BACKEND=postgres); CPU time of this process per bericht. Prints
 * medians and the B/A ratio. For the notes of an issue-22 step whose gain is too small for the noise of a
 * shared machine in the gateway run.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const N = Number(process.env.AB_N ?? 400);
const ROUNDS = Number(process.env.AB_ROUNDS ?? 9);
const PG = process.env.AB_BACKEND === 'postgres' ? (process.env.ZICHT_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test') : undefined;
const dirs = process.argv.slice(2, 4).map((d) => resolve(d));
if (dirs.length !== 2) throw new Error('usage: tsx bench/ab-store.ts DIR_A DIR_B');

interface StoreLike {
  transaction<T>(fn: (tx: StoreLike) => Promise<T>): Promise<T>;
  insertBericht(b: unknown, canonical?: Uint8Array, drawn?: { salt: string; commitment: string }): Promise<unknown>;
  enqueueDelivery(d: unknown): Promise<unknown>;
  appendEvent(e: unknown): Promise<unknown>;
  close(): Promise<void>;
}
type Open = (url?: string, options?: Record<string, unknown>) => Promise<StoreLike>;

const body = readFileSync(join(import.meta.dirname, '..', 'spec', 'v1', 'examples', 'valid', 'overdracht-na-dienst-onderzoek.json'), 'utf8');
const hex = (): string => randomBytes(32).toString('hex');
const cpu = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

async function round(open: Open, side: number, r: number): Promise<number> {
  const store = await open(PG ?? join(mkdtempSync(join(tmpdir(), 'zicht-ab-')), 'zicht.db'), PG === undefined ? {} : { schema: `zicht_ab_${String(side)}_${String(r)}_${randomBytes(3).toString('hex')}` });
  try {
    const start = cpu();
    for (let i = 0; i < N; i++) {
      const berichtId = randomUUID();
      const receivedAt = new Date();
      await store.transaction(async (tx) => {
        await tx.insertBericht(
          { berichtId, senderOin: '00000004000000010001', berichtType: 'overdracht', dossierReferentie: `VTZL-B-${berichtId.slice(0, 8)}`, volgnummer: 1, contentHash: createHash('sha256').update(berichtId).digest('hex'), body, receivedAt, receipt: '{"berichtId":"x"}' },
          undefined,
          { salt: hex(), commitment: hex() },
        );
        await tx.enqueueDelivery({ berichtId, receiverOin: '00000001000000009350', mode: 'push', nextAttemptAt: receivedAt });
        await tx.appendEvent({ type: 'bericht.accepted', berichtId, oin: '00000004000000010001', at: receivedAt, data: { berichtType: 'overdracht', ontvangers: 1 } });
      });
    }
    return (cpu() - start) / N;
  } finally {
    await store.close();
  }
}

const opens = await Promise.all(dirs.map(async (dir) => ((await import(join(dir, 'dist', 'src', 'store', 'open.js'))) as { openStore: Open }).openStore));
const samples: number[][] = [[], []];
for (let r = 0; r < ROUNDS; r++) {
  for (const side of r % 2 === 0 ? [0, 1] : [1, 0]) samples[side]!.push(await round(opens[side]!, side, r));
}
const [a, b] = samples as [number[], number[]];
console.log(JSON.stringify({ backend: PG === undefined ? 'sqlite' : 'postgres', n: N, rounds: ROUNDS, a: { dir: dirs[0], cpuMsPerBericht: Number(median(a).toFixed(4)) }, b: { dir: dirs[1], cpuMsPerBericht: Number(median(b).toFixed(4)) }, cpuBtoA: Number(median(b.map((x, i) => x / a[i]!)).toFixed(3)) }));
