/**
 * The audit log's routes (src/audit/): the log key and the latest checkpoint for anyone, consistency proofs
 * for anyone (they hold only hashes), inclusion proofs and entries for authenticated participants. A
 * participant's entries are those that concern its OIN; the `auditor` role sees all.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deriveLogSigner } from '../audit/log-key.js';
import { consistencyProof, inclusionProof, logEntries } from '../audit/log-view.js';
import type { NoteSigner } from '../audit/note-key.js';
import { AuditError } from '../errors.js';
import type { Signer } from '../signing/signer.js';
import type { Store } from '../store/store.js';
import type { Caller } from './auth.js';
import { parameterProblem, problemResponse } from './problem.js';

/** What the log routes need. */
export interface LogRouteDeps {
  readonly store: Store;
  readonly gateway: Signer;
  /** The log key; default derived from the gateway key (src/audit/log-key.ts). */
  readonly logKey?: NoteSigner;
}

type LogEnv = { Variables: { caller: Caller } };

const DECIMAL = /^(0|[1-9][0-9]{0,14})$/;

/** The query parameters as bigints, or a 400 problem naming which are wrong. */
function numbers(c: Context<LogEnv>, names: readonly string[]): bigint[] | Response {
  const values = names.map((name) => c.req.query(name));
  const wrong = names.filter((_, i) => { const v = values[i]; return v === undefined || !DECIMAL.test(v); });
  if (wrong.length > 0) return parameterProblem('query', wrong, `${names.join(' and ')} must be decimal integers.`);
  return values.map((v) => BigInt(v ?? '0'));
}

async function rangeChecked(names: readonly string[], work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuditError && error.code === 'ZICHT_AUDIT_RANGE_INVALID') return parameterProblem('query', names, 'The index or sizes are out of range of the log.');
    throw error;
  }
}

/**
 * The log routes, to mount on the app with `app.route('/', …)`; `authenticated` is the app's authentication
 * middleware, which sets the `caller`.
 */
export function logRoutes(deps: LogRouteDeps, authenticated: MiddlewareHandler): Hono<LogEnv> {
  const app = new Hono<LogEnv>();
  const logKey = deps.logKey ?? deriveLogSigner(deps.gateway);

  app.get('/v1/log/key', (c) => c.json({ origin: logKey.name, verifierKey: logKey.vkey }));

  app.get('/v1/log/checkpoint', async (c) => {
    const latest = await deps.store.latestCheckpoint();
    if (latest === undefined) return problemResponse(404, 'The log has no checkpoint yet.');
    return c.body(latest.note, 200, { 'content-type': 'text/plain; charset=utf-8' });
  });

  app.get('/v1/log/proof/consistency', async (c) => {
    const parsed = numbers(c, ['from', 'to']);
    if (parsed instanceof Response) return parsed;
    const [from = 0n, to = 0n] = parsed;
    return rangeChecked(['from', 'to'], async () => c.json({ from: Number(from), to: Number(to), proof: await consistencyProof(deps.store, from, to) }));
  });

  app.get('/v1/log/proof/inclusion', authenticated, async (c) => {
    const parsed = numbers(c, ['index', 'size']);
    if (parsed instanceof Response) return parsed;
    const [index = 0n, size = 0n] = parsed;
    return rangeChecked(['index', 'size'], async () => c.json({ index: Number(index), size: Number(size), proof: await inclusionProof(deps.store, index, size) }));
  });

  app.get('/v1/log/entries', authenticated, async (c) => {
    const parsed = numbers(c, ['start', 'end']);
    if (parsed instanceof Response) return parsed;
    const [start = 0n, end = 0n] = parsed;
    const caller = c.get('caller').deelnemer;
    return rangeChecked(['start', 'end'], async () => {
      const page = await logEntries(deps.store, start, end, { oin: caller.oin, all: caller.rol === 'auditor' });
      return page === undefined ? problemResponse(404, 'The log has no checkpoint yet.') : c.json(page);
    });
  });
  return app;
}
