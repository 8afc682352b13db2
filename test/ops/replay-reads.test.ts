/**
 * CFG-020 in normal operation: a read's jti is recorded in the store within the read's wait, so a read token
 * replayed at another gateway process on the same database is refused (401) as before, and replayed at the same
 * process too. Reads under a store that cannot record (another process holding SQLite's write lock) are in
 * test/server/database-trouble.test.ts; under read-only and full databases in test/ops/storage-faults.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { createApp } from '../../src/http/app.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { storeReplayGuard } from '../../src/http/replay.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { groupCommit } from '../../src/store/group-commit.js';
import { BACKENDS, useStore } from '../store/backends.js';

const network = await createDemoNetwork();

describe.each(BACKENDS)('read tokens on $name (CFG-020)', ({ harness }) => {
  const ctx = useStore(harness);

  it('a token used for a read is refused when replayed, at the same process and at another on the same database', async () => {
    const [first, second] = [0, 1].map(() => {
      const commit = groupCommit(ctx.store);
      return createApp({ store: ctx.store, registry: network.registry, keys: registryKeyResolver(network.registry), gateway: network.gateway, replay: storeReplayGuard(ctx.store, { commit }), commit, rateLimit: tokenBucket({ perSecond: 100, burst: 100 }) });
    });
    const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), berichtId: randomUUID() };
    const posted = await first!.request('/v1/berichten', { method: 'POST', body: JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht)), headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}` } });
    expect(posted.status).toBe(202);

    const read = async (app: typeof first, token: string) => (await app!.request(`/v1/berichten/${bericht.berichtId}`, { headers: { authorization: `Bearer ${token}` } })).status;
    const once = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    expect(await read(first, once)).toBe(200);
    expect(await read(first, once)).toBe(401);
    expect(await read(second, once)).toBe(401);
    const other = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    expect(await read(second, other)).toBe(200);
    expect(await read(first, other)).toBe(401);
  });
});
