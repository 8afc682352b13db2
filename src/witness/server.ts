/**
 * The witness's HTTP interface (C2SP tlog-witness "HTTP Interface"): `POST /add-checkpoint` on the submission
 * prefix (the root here), plus `GET /key`, the cosigner verifier key as the witness claims it (a verifier
 * gets it from the witness's operator out of band, as a log key: spec/v1/log.md LOG-001).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { CosignerVerifier } from '../audit/cosignature.js';
import type { Witness } from './witness.js';

/** The largest request body taken: 63 proof lines and a checkpoint with many signatures fit easily. */
const MAX_BODY = 64 * 1024;

/** The witness's routes. */
export function witnessApp(witness: Witness, key: CosignerVerifier): Hono {
  const app = new Hono();
  app.get('/key', (c) => c.json({ name: key.name, verifierKey: key.vkey }));
  app.post('/add-checkpoint', async (c) => {
    const body = await c.req.text();
    if (Buffer.byteLength(body, 'utf8') > MAX_BODY) return c.text('request body too large\n', 413);
    const answer = await witness.addCheckpoint(body);
    return c.body(answer.body, answer.status, { 'content-type': answer.status === 409 ? answer.contentType : 'text/plain; charset=utf-8' });
  });
  return app;
}

/** A listening witness. */
export interface RunningWitness {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a witness on a port (0: any free one). */
export function startWitnessServer(witness: Witness, key: CosignerVerifier, options: { port: number; hostname?: string }): Promise<RunningWitness> {
  const app = witnessApp(witness, key);
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
        close: () => new Promise<void>((done) => { server.close(() => { done(); }); }),
      });
    });
  });
}
