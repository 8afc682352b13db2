/**
 * The published receiver contract agrees with the code, checked with an independent validator (Ajv, draft
 * 2020-12) as a vendor would use the schemas: the gateway's push tokens match TokenHeader and TokenClaims, the
 * key set the gateway publishes matches DeelnemerJwks (windows as RFC 3339 date-times), what `zicht keys
 * generate --use enc` writes matches Versleutelingssleutel, and the webhook says for every status what the
 * delivery worker does with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { outcomeOfStatus } from '../../adapters/webhook/push.js';
import { generateEncryptionKey } from '../../src/delivery/decrypt.js';
import { createDemoNetwork, DEMO_OIN } from '../../src/demo/network.js';
import { publishedKeySet } from '../../src/registry/published-keys.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const root = join(import.meta.dirname, '..', '..');
const schema = (name: string) => ajv.compile(JSON.parse(readFileSync(join(root, `spec/v1/schemas/${name}.schema.json`), 'utf8')) as object);
const part = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;

describe('the published receiver contract', () => {
  it("the gateway's push token matches TokenHeader and TokenClaims (aud the receiver, 60 seconds)", async () => {
    const network = await createDemoNetwork();
    const [header = '', claims = ''] = (await createBearerToken(network.gateway, DEMO_OIN.heerlen)).split('.');
    const [validHeader, validClaims] = [schema('TokenHeader'), schema('TokenClaims')];
    expect(validHeader(part(header)), JSON.stringify(validHeader.errors)).toBe(true);
    expect(validClaims(part(claims)), JSON.stringify(validClaims.errors)).toBe(true);
    expect(part(claims)).toMatchObject({ iss: DEMO_OIN.gateway, aud: DEMO_OIN.heerlen });
    const { iat, exp } = part(claims) as { iat: number; exp: number };
    expect(exp - iat).toBe(60);
    expect(validClaims({ ...(part(claims) as object), nonce: 'x' })).toBe(false);
  });

  it('the key set the gateway publishes matches DeelnemerJwks, with its windows as RFC 3339 date-times', async () => {
    const network = await createDemoNetwork();
    const deelnemer = (await network.registry.get(DEMO_OIN.heerlen))!;
    const windowed = { ...deelnemer, sleutels: deelnemer.sleutels.map((s) => ({ ...s, nbf: '2026-01-01T00:00:00+01:00', exp: '2027-01-01T00:00:00+01:00', revokedAt: '2026-06-01T12:00:00Z' })) };
    const valid = schema('DeelnemerJwks');
    expect(valid(publishedKeySet(windowed)), JSON.stringify(valid.errors)).toBe(true);
    const numeric = { keys: publishedKeySet(windowed).keys.map((k) => ({ ...k, nbf: 1767222000 })) };
    expect(valid(numeric)).toBe(false);
  });

  it('a versleutelingssleutels entry as `zicht keys generate --use enc` writes it matches Versleutelingssleutel', async () => {
    const valid = schema('Versleutelingssleutel');
    for (const alg of ['ECDH-ES P-256', 'RSA-OAEP-256'] as const) {
      const { sleutel } = await generateEncryptionKey(alg);
      expect(valid(sleutel), JSON.stringify(valid.errors)).toBe(true);
      expect(valid({ ...sleutel, jwk: { ...sleutel.jwk, d: 'AAAA' } })).toBe(false);
    }
  });

  it('the webhook lists every answer of AFL-007 and says for each what the gateway does (AFL-008)', () => {
    const openapi = JSON.parse(readFileSync(join(root, 'spec/v1/openapi.json'), 'utf8')) as { webhooks: Record<string, { post: { responses: Record<string, { description: string }> } }> };
    const responses = openapi.webhooks.bericht?.post.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(['200', '202', '204', '400', '401', '409', '413', '415', '422', '429', '503']);
    for (const [status, { description }] of Object.entries(responses)) {
      const outcome = outcomeOfStatus(Number(status));
      if (outcome === 'delivered') expect(description, status).toMatch(/Taken/);
      else expect(description, status).toContain(outcome === 'retry' ? 'The gateway tries again' : 'dead letter at once');
    }
  });
});
