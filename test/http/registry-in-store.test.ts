/**
 * The gateway as `zicht serve` runs it keeps the registry in its own database. Nothing inside the accept
 * transaction may read the store past the transaction handle: a registry read there (a cache refill)
 * failed with ZICHT_STORE_MISUSE, and under load about one request in thirty got a 500 (found by the
 * gateway benchmark). With a registry that reads the store on every call, each handover must be accepted.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs } from '../../src/demo/network.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { StoreDeelnemerRepository } from '../../src/registry/store-repository.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { BACKENDS, useStore } from '../store/backends.js';

const network = await createDemoNetwork();

describe.each(BACKENDS)('POST /v1/berichten with the registry in the database ($name)', ({ harness }) => {
  const ctx = useStore(harness);

  it('accepts handovers when every registry read goes to the store (no cache)', async () => {
    const registry = new StoreDeelnemerRepository(ctx.store, { ttlMs: 0 });
    for (const deelnemer of await network.registry.list()) await registry.put(deelnemer);
    const app = createApp({ store: ctx.store, registry, keys: registryKeyResolver(registry), gateway: network.gateway, replay: memoryReplayGuard(), rateLimit: tokenBucket({ perSecond: 1000, burst: 1000 }) });
    for (let i = 0; i < 3; i++) {
      const bericht = { ...exampleBericht('overdracht-na-dienst-onderzoek'), dossier: { referentie: `VTZL-REG-${String(i)}`, volgnummer: 1 } };
      const body = JSON.stringify(await signAs(network, 'vtZuidLimburg', bericht));
      const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
      const response = await app.request('/v1/berichten', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      expect(response.status, await response.clone().text()).toBe(202);
    }
  });
});
