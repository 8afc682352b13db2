/**
 * A/B of two builds of the gateway, interleaved in one run: `npx tsx bench/ab-gateway.ts DIR_A DIR_B` where each
 * DIR holds a built checkout (bin/zicht.js, dist/). Per round, each gateway (on SQLite, or PostgreSQL with
 * AB_BACKEND=postgres) takes AB_N berichten from 50 senders; its CPU time per accepted bericht (/proc/PID/stat) and
 * accepted/s are recorded, the order alternating per round, and its CPU time until its deliveries are done too
 * (the delivery worker runs during the accept phase, so how much of its work falls into that phase varies with
 * the accept path's pace). Prints medians and B/A ratios. For the notes of an issue-22 step: the CPU figure does
 * not depend on the load client sharing the cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { exampleBericht } from '../src/demo/network.js';
import { createBearerToken } from '../src/signing/bearer-token.js';
import { signBericht } from '../src/signing/sign.js';
import { gatewayFixture, OIN, type GatewayFixture } from '../test/helpers/gateway-process.js';
import { startReceiver } from '../test/helpers/receiver.js';

const N = Number(process.env.AB_N ?? 1500);
const ROUNDS = Number(process.env.AB_ROUNDS ?? 5);
const BACKEND = process.env.AB_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN = process.env.ZICHT_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const dirs = process.argv.slice(2, 4).map((d) => resolve(d));
if (dirs.length !== 2) throw new Error('usage: tsx bench/ab-gateway.ts DIR_A DIR_B');

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const cpuMs = (pid: number | undefined): number => {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

async function freshPg(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
}

function start(dir: string, fixture: GatewayFixture, db: string): Promise<ChildProcess> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(dir, 'bin', 'zicht.js'), 'serve', '--port', String(fixture.port), '--db', db, '--registry', join(fixture.dir, 'registry.json'), '--key', join(fixture.dir, 'gateway.jwk.json'), '--kek-file', fixture.kekFile, '--allow-private-endpoints', '--rate-limit', '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) ok(child);
    });
    child.once('exit', (code) => { fail(new Error(`exited ${String(code)}`)); });
  });
}

async function drive(fixture: GatewayFixture): Promise<{ ok: number; perSecond: number }> {
  const loads: { body: string; token: string }[] = [];
  for (let i = 0; i < N; i++) {
    const b = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-B-${randomUUID().slice(0, 8)}`, volgnummer: 1 } };
    loads.push({ body: JSON.stringify(await signBericht(b, fixture.vt)), token: await createBearerToken(fixture.vt, OIN.gateway, { seconds: 300 }) });
  }
  const pool = new Pool(fixture.url, { connections: 50 });
  let next = 0;
  let ok = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 50 }, async () => {
    for (let i = next++; i < loads.length; i = next++) {
      const r = await pool.request({ path: '/v1/berichten', method: 'POST', body: loads[i]!.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${loads[i]!.token}` } });
      await r.body.dump();
      if (r.statusCode === 202) ok++;
    }
  }));
  const perSecond = ok / ((performance.now() - t0) / 1000);
  await pool.close();
  return { ok, perSecond };
}

const receiver = await startReceiver();
const sides = await Promise.all(dirs.map(async (dir, i) => {
  const fixture = await gatewayFixture(receiver.url);
  const db = BACKEND === 'postgres' ? await freshPg(`zicht_ab_${String(i)}`) : join(fixture.dir, 'zicht.db');
  return { dir, fixture, child: await start(dir, fixture, db), cpu: [] as number[], cpuWithDelivery: [] as number[], tput: [] as number[], accepted: 0 };
}));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const before = cpuMs(side.child.pid);
      const run = await drive(side.fixture);
      const after = cpuMs(side.child.pid);
      if (run.ok !== N) throw new Error(`${side.dir}: ${String(run.ok)} of ${String(N)} accepted`);
      side.accepted += run.ok;
      // Let its deliveries finish before the other side runs.
      for (let w = 0; w < 600 && receiver.received.length < sides.reduce((n, s) => n + s.accepted, 0); w++) await new Promise((r) => setTimeout(r, 100));
      const drained = cpuMs(side.child.pid);
      side.cpu.push((after - before) / run.ok);
      side.cpuWithDelivery.push((drained - before) / run.ok);
      side.tput.push(run.perSecond);
      console.log(`round ${String(round)} ${side.dir}: ${((after - before) / run.ok).toFixed(3)} ms CPU/bericht (${((drained - before) / run.ok).toFixed(3)} with its deliveries), ${run.perSecond.toFixed(0)}/s`);
    }
  }
  const [a, b] = sides as [typeof sides[0], typeof sides[0]];
  const ratio = (xs: number[], ys: number[]) => median(xs.map((x, i) => x / ys[i]!));
  console.log(JSON.stringify({ backend: BACKEND, n: N, rounds: ROUNDS, a: { dir: a.dir, cpuMsPerBericht: median(a.cpu), cpuMsPerBerichtWithDelivery: median(a.cpuWithDelivery), perSecond: Math.round(median(a.tput)) }, b: { dir: b.dir, cpuMsPerBericht: median(b.cpu), cpuMsPerBerichtWithDelivery: median(b.cpuWithDelivery), perSecond: Math.round(median(b.tput)) }, cpuBtoA: Number(ratio(b.cpu, a.cpu).toFixed(3)), cpuWithDeliveryBtoA: Number(ratio(b.cpuWithDelivery, a.cpuWithDelivery).toFixed(3)), throughputBtoA: Number(ratio(b.tput, a.tput).toFixed(3)) }));
} finally {
  for (const side of sides) side.child.kill('SIGTERM');
  await receiver.close();
}
