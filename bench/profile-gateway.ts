/**
 * Profiles the gateway process under load: starts `node --cpu-prof bin/zicht.js serve` (SQLite),
 * sends 2,000 signed handovers from 50 senders, stops it with SIGINT and leaves the .cpuprofile in
 * /tmp/gwprof (open it in Chrome DevTools). Run: `npx tsx bench/profile-gateway.ts` after `npm run build`.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { exampleBericht } from '../src/demo/network.js';
import { createBearerToken } from '../src/signing/bearer-token.js';
import { signBericht } from '../src/signing/sign.js';
import { gatewayFixture, OIN } from '../test/helpers/gateway-process.js';
import { startReceiver } from '../test/helpers/receiver.js';
import { spawn } from 'node:child_process';
const receiver = await startReceiver();
const fixture = await gatewayFixture(receiver.url);
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/gwprof', 'bin/zicht.js', 'serve', '--port', String(fixture.port), '--db', fixture.dir + '/zicht.db', '--registry', fixture.dir + '/registry.json', '--key', fixture.dir + '/gateway.jwk.json', '--kek-file', fixture.kekFile, '--allow-private-endpoints'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => { if (c.toString().includes('listening')) resolve(); }));
const loads: { body: string; token: string }[] = [];
for (let i = 0; i < 2000; i++) {
  const b = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-B-${randomUUID().slice(0, 8)}`, volgnummer: 1 } };
  loads.push({ body: JSON.stringify(await signBericht(b, fixture.vt)), token: await createBearerToken(fixture.vt, OIN.gateway, { seconds: 300 }) });
}
const pool = new Pool(fixture.url, { connections: 50 });
let next = 0; let ok = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: 50 }, async () => {
  for (let i = next++; i < loads.length; i = next++) {
    const r = await pool.request({ path: '/v1/berichten', method: 'POST', body: loads[i]!.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${loads[i]!.token}` } });
    await r.body.dump(); if (r.statusCode === 202) ok++;
  }
}));
console.log('accepted/s', ok / ((performance.now() - t0) / 1000));
await pool.close();
await new Promise((r) => { child.once('exit', r); child.kill('SIGINT'); });
await receiver.close();
