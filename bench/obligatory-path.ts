/**
 * The obligatory path: the least work spec/v1 obliges any conforming gateway to do per accepted bericht, as a
 * server of its own, for bench/gateway.ts to measure beside the gateway and the crypto floor (issue 22). Per
 * `POST /v1/berichten`, and nothing more:
 *
 * - the HTTP request and its 202 response, on the gateway's HTTP stack (hono on @hono/node-server);
 * - the bearer token: one ES256 verification against the caller's registered key, `aud`, `iat`/`exp` (README §7:
 *   "a bearer JWT signed with one of their registered keys ... a `jti` never used before"; BER-031), with
 *   the gateway's own `verifyBearerToken`. A jti is never accepted twice, so every request carries a fresh
 *   token and this is one verification per request;
 * - the crypto floor's work (canonicalise, verify the sender's signature, countersign: SIG-001..008, README §7
 *   "the body is the transport receipt with the countersignature") with the gateway's own code;
 * - the receipt's inclusion promise (spec/v1/log.md LOG-005: "A gateway MUST give the promise in every receipt"): the
 *   `bericht.accepted` leaf with its salted commitment, its leaf hash, and the promise signed with the log key
 *   (Ed25519 signed note), with the gateway's code; the leaf is stored in the same transaction, since the promise
 *   says it will be in the log;
 * - one durable transaction holding the jti (CFG-020: "a write is answered only after its jti is recorded in
 *   the database"), the bericht, its log leaf and one outbox row (README §7 status 202: "validated, verified, routed and
 *   durably stored"), on a minimal schema, with the gateway's durability settings (SQLite: WAL,
 *   synchronous=FULL; PostgreSQL: its default synchronous commit), group-committed across concurrent
 *   requests (one transaction, and on PostgreSQL one multi-row INSERT per table, for all of them) — the
 *   cheapest way to keep "durably stored first".
 *
 * Not counted, though a conforming gateway must do it too (so the figure is a lower bound): validation against
 * the schema and the content rules (README §6), routing against the registry (RTE-001..003), the dossier's
 * trail rules, sequencing the audit log and signing its checkpoints (once a second, not per bericht), the duplicate
 * check on berichtId (BER-015).
 *
 * Run: `node --import tsx bench/obligatory-path.ts` with OBLIGATORY_CONFIG = JSON {db, registryFile, keyFile}
 * (db a SQLite file path or postgres:// URL). Listens on a free loopback port and prints `listening PORT`.
 */
import Database from 'better-sqlite3';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { leafHash } from '../src/audit/hash.js';
import { deriveLogSigner } from '../src/audit/log-key.js';
import { DEFAULT_MAX_MERGE_DELAY, signPromise } from '../src/audit/promise.js';
import { verifyBearerToken } from '../src/signing/bearer-token.js';
import { canonicalBericht } from '../src/signing/canonical.js';
import { countersignBericht } from '../src/signing/countersign.js';
import type { PublicJwk } from '../src/signing/jwk.js';
import type { KeyResolver, ResolvedKey } from '../src/signing/key-resolver.js';
import { createSigner } from '../src/signing/signer.js';
import { verifyBericht } from '../src/signing/verify.js';
import { berichtLeaf, commitTo } from '../src/store/log-leaf.js';

interface Config {
  readonly db: string;
  readonly registryFile: string;
  readonly keyFile: string;
}

/** One accepted bericht's rows. */
interface Rows {
  readonly iss: string;
  readonly jti: string;
  readonly expiresAt: number;
  readonly berichtId: string;
  readonly senderOin: string;
  readonly receiverOin: string;
  readonly body: string;
  readonly leaf: string;
  readonly receivedAt: number;
}

/** Writes a batch in one durable transaction; per item, whether its jti was new (false: a replay, nothing of it written). */
type WriteBatch = (batch: readonly Rows[]) => Promise<boolean[]>;

const config = JSON.parse(process.env.OBLIGATORY_CONFIG ?? '{}') as Config;

/** The registered keys per OIN, from the registry file: the key of a token's `iss` only. */
function registryKeys(file: string): KeyResolver {
  const registry = JSON.parse(readFileSync(file, 'utf8')) as { deelnemers: { oin: string; sleutels: { kid: string; jwk: PublicJwk }[] }[] };
  const byOin = new Map<string, Map<string, ResolvedKey>>();
  for (const d of registry.deelnemers) byOin.set(d.oin, new Map(d.sleutels.map((s) => [s.kid, { kid: s.kid, jwk: s.jwk }])));
  return { resolve: (oin, kid) => byOin.get(oin)?.get(kid) };
}

function sqliteWriter(file: string): WriteBatch {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS token_ids (iss TEXT NOT NULL, jti TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (iss, jti));
    CREATE TABLE IF NOT EXISTS berichten (bericht_id TEXT PRIMARY KEY, sender_oin TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS outbox (bericht_id TEXT NOT NULL REFERENCES berichten, receiver_oin TEXT NOT NULL, next_attempt_at INTEGER NOT NULL, PRIMARY KEY (bericht_id, receiver_oin));
    CREATE TABLE IF NOT EXISTS leaves (id INTEGER PRIMARY KEY, bericht_id TEXT NOT NULL REFERENCES berichten, leaf TEXT NOT NULL);`);
  const claim = db.prepare('INSERT INTO token_ids (iss, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const bericht = db.prepare('INSERT INTO berichten (bericht_id, sender_oin, body, received_at) VALUES (?, ?, ?, ?)');
  const outbox = db.prepare('INSERT INTO outbox (bericht_id, receiver_oin, next_attempt_at) VALUES (?, ?, ?)');
  const leaf = db.prepare('INSERT INTO leaves (bericht_id, leaf) VALUES (?, ?)');
  const write = db.transaction((batch: readonly Rows[]) =>
    batch.map((r) => {
      if (claim.run(r.iss, r.jti, r.expiresAt).changes !== 1) return false;
      bericht.run(r.berichtId, r.senderOin, r.body, r.receivedAt);
      outbox.run(r.berichtId, r.receiverOin, r.receivedAt);
      leaf.run(r.berichtId, r.leaf);
      return true;
    }),
  );
  return (batch) => Promise.resolve(write.immediate(batch));
}

async function postgresWriter(url: string): Promise<WriteBatch> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS token_ids (iss TEXT NOT NULL, jti TEXT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (iss, jti));
    CREATE TABLE IF NOT EXISTS berichten (bericht_id TEXT PRIMARY KEY, sender_oin TEXT NOT NULL, body TEXT NOT NULL, received_at BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS outbox (bericht_id TEXT NOT NULL REFERENCES berichten, receiver_oin TEXT NOT NULL, next_attempt_at BIGINT NOT NULL, PRIMARY KEY (bericht_id, receiver_oin));
    CREATE TABLE IF NOT EXISTS leaves (id BIGSERIAL PRIMARY KEY, bericht_id TEXT NOT NULL REFERENCES berichten, leaf TEXT NOT NULL)`);
  const values = (rows: number, columns: number): string =>
    Array.from({ length: rows }, (_, i) => `(${Array.from({ length: columns }, (_, j) => `$${i * columns + j + 1}`).join(', ')})`).join(', ');
  return async (batch) => {
    await client.query('BEGIN');
    try {
      const claimed = await client.query<{ iss: string; jti: string }>(`INSERT INTO token_ids (iss, jti, expires_at) VALUES ${values(batch.length, 3)} ON CONFLICT DO NOTHING RETURNING iss, jti`, batch.flatMap((r) => [r.iss, r.jti, r.expiresAt]));
      const fresh = new Set(claimed.rows.map((r) => `${r.iss} ${r.jti}`));
      const kept = batch.filter((r) => fresh.has(`${r.iss} ${r.jti}`));
      if (kept.length > 0) {
        await client.query(`INSERT INTO berichten (bericht_id, sender_oin, body, received_at) VALUES ${values(kept.length, 4)}`, kept.flatMap((r) => [r.berichtId, r.senderOin, r.body, r.receivedAt]));
        await client.query(`INSERT INTO outbox (bericht_id, receiver_oin, next_attempt_at) VALUES ${values(kept.length, 3)}`, kept.flatMap((r) => [r.berichtId, r.receiverOin, r.receivedAt]));
        await client.query(`INSERT INTO leaves (bericht_id, leaf) VALUES ${values(kept.length, 2)}`, kept.flatMap((r) => [r.berichtId, r.leaf]));
      }
      await client.query('COMMIT');
      return batch.map((r) => fresh.has(`${r.iss} ${r.jti}`));
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
}

/** Group commit: the rows of concurrent requests share one transaction; each caller learns its own outcome after the commit. */
function groupCommit(write: WriteBatch): (rows: Rows) => Promise<boolean> {
  let queue: { rows: Rows; done: (fresh: boolean) => void; fail: (error: unknown) => void }[] = [];
  let flushing = false;
  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const fresh = await write(batch.map((b) => b.rows));
        batch.forEach((b, i) => { b.done(fresh[i] === true); });
      } catch (error) {
        for (const b of batch) b.fail(error);
      }
    }
    flushing = false;
  };
  return (rows) =>
    new Promise((done, fail) => {
      queue.push({ rows, done, fail });
      if (!flushing) {
        // Set when the flush is scheduled, not when it starts: one flush at a time, whatever arrives before it runs.
        flushing = true;
        setImmediate(() => void flush());
      }
    });
}

const keys = registryKeys(config.registryFile);
const { oin, ...privateJwk } = JSON.parse(readFileSync(config.keyFile, 'utf8')) as { oin: string } & Record<string, unknown>;
const gateway = await createSigner({ privateJwk, oin });
const logKey = deriveLogSigner(gateway);
const commit = groupCommit(config.db.startsWith('postgres') ? await postgresWriter(config.db) : sqliteWriter(config.db));

const app = new Hono();
app.post('/v1/berichten', async (c) => {
  const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (token === undefined) return c.json({ status: 401 }, 401);
  const now = new Date();
  const claims = await verifyBearerToken(token, { audience: gateway.oin, keys, now });
  const text = await c.req.text();
  const bericht = JSON.parse(text) as { berichtId: string; berichtType: string; verzender: { oin: string }; ontvangers: { oin: string }[] };
  if (bericht.verzender.oin !== claims.iss) return c.json({ status: 403 }, 403);
  const canonical = canonicalBericht(bericht);
  await verifyBericht(bericht, { keys, canonical, now });
  const countersigned = await countersignBericht(bericht, gateway, now, { iat: now, canonical });
  const body = JSON.stringify(countersigned);
  // LOG-005: the leaf (with its salted commitment to the content), its hash, and the promise signed by the log key.
  const receiverOin = bericht.ontvangers[0]?.oin ?? '';
  const { commitment } = commitTo(body, { canonical, contentHash: createHash('sha256').update(canonical).digest('hex') });
  const data = { berichtType: bericht.berichtType, ontvangers: 1 };
  const leaf = berichtLeaf({ type: 'bericht.accepted', at: now, berichtId: bericht.berichtId, berichtType: bericht.berichtType, senderOin: bericht.verzender.oin, receiverOins: [receiverOin], receivedAt: now, commitment, data });
  const hash = leafHash(Buffer.from(leaf, 'utf8'));
  const logbelofte = { bladhash: Buffer.from(hash).toString('base64'), maximaleVertraging: DEFAULT_MAX_MERGE_DELAY, belofte: signPromise({ origin: logKey.name, leafHash: hash, at: BigInt(Math.floor(now.getTime() / 1000)), maxMergeDelay: DEFAULT_MAX_MERGE_DELAY }, logKey) };
  const fresh = await commit({
    iss: claims.iss,
    jti: claims.jti,
    expiresAt: claims.exp,
    berichtId: bericht.berichtId,
    senderOin: bericht.verzender.oin,
    receiverOin,
    body,
    leaf,
    receivedAt: now.getTime(),
  });
  if (!fresh) return c.json({ status: 401 }, 401);
  return c.json({ berichtId: bericht.berichtId, ontvangenOp: now.toISOString(), handtekening: countersigned.signatures.at(-1), logbelofte }, 202);
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => { console.log(`listening ${String(info.port)}`); });
