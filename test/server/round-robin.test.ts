/**
 * Several instances for real (issue 19): two `zicht serve` processes on one PostgreSQL database behind a small
 * round-robin proxy, as the documented way to use more cores or machines. Berichten accepted through either are
 * delivered, the terms they start expire exactly once across both processes (each with one termijnsignaal), a
 * console session signed in through one is known at the other, and both stop with exit 0.
 *
 * The processes run on a test clock (test/ops/shifted-clock.js, loaded with NODE_OPTIONS): the test sets both
 * clocks forward past a term's end. To show that each process fires timers and that they never fire one twice,
 * the first wave of terms comes due while the second process is stopped (SIGSTOP), the second wave while the
 * first is, and the rest while both run and race for the same timers.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { amsterdamDatum, beginVanDag, isWerkdag } from '../../src/profiles/werkdagen.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { freePort, gatewayFixture, OIN } from '../helpers/gateway-process.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';
import { dropPgDatabases, freshPgDatabase } from '../helpers/pg-database.js';

const children: ChildProcess[] = [];
let proxy: Server | undefined;
let receiver: TestReceiver | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => {
    if (proxy === undefined) resolve();
    else {
      proxy.close(() => { resolve(); });
      proxy.closeAllConnections();
    }
  });
  await receiver?.close();
  await dropPgDatabases();
}, 60_000);

/** A proxy that sends each request to the next upstream in turn, and counts where each went. */
async function roundRobin(upstreams: readonly string[]): Promise<{ url: string; served: number[] }> {
  const served = upstreams.map(() => 0);
  let next = 0;
  proxy = createServer((incoming, outgoing) => {
    const index = next++ % upstreams.length;
    served[index] = (served[index] ?? 0) + 1;
    const target = new URL(incoming.url ?? '/', upstreams[index]);
    const forwarded = httpRequest(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => { outgoing.writeHead(502).end(); });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', () => { resolve(); }));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, served };
}

/** Runs one query on `url`; its rows. */
async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Waits (up to 30 s) until `done` holds. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many timers a process fired (its log's `termijn` lines with afloop verlopen), counted from now on. */
function firings(child: ChildProcess): { count: number } {
  const counter = { count: 0 };
  let rest = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg?: string; afloop?: string };
      if (entry.msg === 'termijn' && entry.afloop === 'verlopen') counter.count += 1;
    }
  });
  return counter;
}

describe('two zicht serve processes on one PostgreSQL database behind a round-robin proxy', () => {
  it('accept and deliver through both, fire each expired term exactly once across both, keep a console session across both, and stop with exit 0', { timeout: 180_000 }, async () => {
    const { url: db } = await freshPgDatabase('zicht_rr');
    receiver = await startReceiver();
    const fixture = await gatewayFixture(receiver.url, db);
    // Both processes read their clock's offset (ms ahead of real time) from this file.
    const clockFile = join(fixture.dir, 'clock-offset');
    writeFileSync(clockFile, '0');
    const clockEnv = {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(import.meta.dirname, '..', 'ops', 'shifted-clock.js')).href}`.trim(),
      ZICHT_TEST_CLOCK_FILE: clockFile,
    };
    let offset = 0;
    const now = () => new Date(Date.now() + offset);
    const setClocks = async (ms: number) => {
      offset = ms;
      writeFileSync(clockFile, String(ms));
      // The processes re-read the file at most every 50 ms.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const first = await fixture.start([], clockEnv);
    children.push(first);
    const otherPort = await freePort();
    const second = await fixture.start(['--port', String(otherPort)], clockEnv);
    children.push(second);
    const fired = [firings(first), firings(second)];
    const { url, served } = await roundRobin([fixture.url, `http://127.0.0.1:${otherPort}`]);

    // Accept through both: three batches at noon of three werkdagen in a row, so that their receipt terms
    // (2 werkdagen) end on three different days.
    const werkdagen: string[] = [];
    for (let d = 0; werkdagen.length < 3; d++) {
      const datum = amsterdamDatum(new Date(Date.now() + d * 86_400_000));
      if (isWerkdag(datum, { goedeVrijdag: false, bevrijdingsdag: false })) werkdagen.push(datum);
    }
    const ids: string[] = [];
    for (const [batch, datum] of werkdagen.entries()) {
      await setClocks(beginVanDag(datum).getTime() + 12 * 3_600_000 - Date.now());
      for (let i = 0; i < 4; i++) {
        const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling', now()), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(600000 + 4 * batch + i)}`, volgnummer: 1 } };
        const response = await request(`${url}/v1/berichten`, { method: 'POST', body: JSON.stringify(await signBericht(bericht, fixture.vt, { iat: now() })), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(fixture.vt, OIN.gateway, { now: now() })}` } });
        expect(response.statusCode, await response.body.text()).toBe(202);
        ids.push(bericht.berichtId);
      }
    }
    // Delivered by whichever worker claimed each.
    const deadline = Date.now() + 30_000;
    const delivered = () => new Set(receiver?.received.map((b) => b.berichtId));
    while (ids.some((id) => !delivered().has(id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ids.filter((id) => !delivered().has(id))).toEqual([]);

    // Timers: the handovers opened terms; their ends, earliest first, in waves.
    const ends = (await query<{ due_at: Date }>(db, "SELECT DISTINCT due_at FROM termijnen WHERE status = 'open' ORDER BY due_at")).map((r) => r.due_at);
    expect(ends.length).toBeGreaterThanOrEqual(3);
    const openDueBy = async (at: Date) => Number((await query<{ n: string }>(db, "SELECT count(*) AS n FROM termijnen WHERE status = 'open' AND due_at <= $1", [at]))[0]?.n);
    /** Sets both clocks a minute past `end` (with `paused` stopped meanwhile) and waits until no term due by then is open. */
    const wave = async (end: Date, paused?: ChildProcess) => {
      paused?.kill('SIGSTOP');
      await setClocks(end.getTime() + 60_000 - Date.now());
      await until(async () => (await openDueBy(end)) === 0, `the terms ending ${end.toISOString()}`);
      paused?.kill('SIGCONT');
    };
    await wave(ends[0]!, second);
    expect(fired.map((f) => f.count > 0)).toEqual([true, false]);
    await wave(ends[1]!, first);
    expect(fired[1]!.count).toBeGreaterThan(0);
    const beforeRace = fired[0]!.count + fired[1]!.count;
    await wave(ends.at(-1)!);

    // Exactly once: every expired term has one signal, one termijn.verlopen event, one firing in one process.
    const expired = await query<{ signaal_id: string | null; dossier_referentie: string }>(db, "SELECT signaal_id, dossier_referentie FROM termijnen WHERE status = 'verlopen'");
    expect(expired.length).toBeGreaterThan(beforeRace);
    const signalIds = expired.map((t) => t.signaal_id);
    expect(signalIds.every((id) => id !== null)).toBe(true);
    expect(new Set(signalIds).size).toBe(expired.length);
    const signals = await query<{ bericht_id: string }>(db, "SELECT bericht_id FROM berichten WHERE bericht_type = 'termijnsignaal'");
    expect(signals.map((b) => b.bericht_id).sort()).toEqual([...signalIds].sort());
    const events = await query<{ n: string }>(db, "SELECT count(*) AS n FROM events WHERE type = 'termijn.verlopen'");
    expect(Number(events[0]?.n)).toBe(expired.length);
    // Each firing is logged by the process that made it; none twice.
    await until(() => Promise.resolve(fired[0]!.count + fired[1]!.count >= expired.length), 'the firing log lines');
    expect(fired[0]!.count + fired[1]!.count).toBe(expired.length);
    // The signals for the lokaal team are pushed to it (at least once; which process delivers does not matter).
    const pushed = (await query<{ bericht_id: string }>(db, 'SELECT bericht_id FROM deliveries WHERE receiver_oin = $1 AND bericht_id = ANY($2)', [OIN.maastricht, signalIds])).map((d) => d.bericht_id);
    expect(pushed.length).toBeGreaterThan(0);
    await until(() => Promise.resolve(pushed.every((id) => delivered().has(id))), 'the termijnsignalen pushed to the lokaal team');

    // A console session signed in through the proxy holds on every page, whichever process serves it.
    const token = await createBearerToken(fixture.vt, OIN.gateway, { now: now() });
    const signIn = await fetch(`${url}/console/inloggen`, { method: 'POST', body: new URLSearchParams({ token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    for (let i = 0; i < 6; i++) {
      const page = await fetch(`${url}/console`, { headers: { cookie }, redirect: 'manual' });
      await page.arrayBuffer();
      expect(page.status, `page ${i}`).toBe(200);
    }
    expect(served.every((n) => n >= 9)).toBe(true);

    for (const child of [first, second]) {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
