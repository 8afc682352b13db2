/**
 * The participant registry: the schema (model-first, types inferred), the in-memory repository, and
 * the registry file of a demo network (test/fixtures/registry/demo-network.json, made with
 * generateSigningKey; its kids are RFC 7638 thumbprints, recomputed here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Deelnemer } from '../../src/registry/deelnemer.js';
import { loadRegistryFile, parseRegistry, registryToFile } from '../../src/registry/file.js';
import { InMemoryDeelnemerRepository } from '../../src/registry/in-memory.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { jwkThumbprint } from '../../src/signing/thumbprint.js';
import { expectCode } from '../signing/helpers.js';

const DEMO = join(import.meta.dirname, '..', 'fixtures', 'registry', 'demo-network.json');
const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as { deelnemers: Record<string, unknown>[] };
const vt = (): Record<string, unknown> => structuredClone(demo.deelnemers[0]!);

describe('the registry file of a demo network', () => {
  it('loads, and every key resolves by (OIN, kid) with its validity in NumericDate and its owner role', async () => {
    const repository = await loadRegistryFile(DEMO);
    const all = await repository.list();
    expect(all.map((d) => d.oin)).toEqual(demo.deelnemers.map((d) => String(d.oin)).sort());
    expect(new Set(all.map((d) => d.rol))).toEqual(new Set(['vt', 'lokaal-team', 'gateway']));
    const resolver = registryKeyResolver(repository);
    for (const deelnemer of all) {
      for (const sleutel of deelnemer.sleutels) {
        expect(sleutel.kid).toBe(jwkThumbprint(sleutel.jwk));
        const key = await resolver.resolve(deelnemer.oin, sleutel.kid);
        expect(key).toMatchObject({ kid: sleutel.kid, rol: deelnemer.rol });
        if (sleutel.nbf !== undefined) expect(key?.nbf).toBe(Date.parse(sleutel.nbf) / 1000);
        if (sleutel.revokedAt !== undefined) expect(key?.revokedAt).toBe(Date.parse(sleutel.revokedAt) / 1000);
      }
    }
  });

  it('round-trips through registryToFile', async () => {
    const repository = await loadRegistryFile(DEMO);
    const again = await parseRegistry(JSON.parse(JSON.stringify(await registryToFile(repository))));
    expect(await again.list()).toEqual(await repository.list());
  });

  it('a kid resolves only for its own participant', async () => {
    const repository = await loadRegistryFile(DEMO);
    const resolver = registryKeyResolver(repository);
    const [first, second] = await repository.list();
    expect(await resolver.resolve(second!.oin, first!.sleutels[0]!.kid)).toBeUndefined();
    expect(await resolver.resolve('00000000000000000000', first!.sleutels[0]!.kid)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{'],
    ['no version', '{"deelnemers":[]}'],
    ['another version', '{"zichtRegistry":2,"deelnemers":[]}'],
  ])('refuses a file that is %s: ZICHT_REGISTRY_INVALID', async (_name, text) => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'zicht-registry-')), 'registry.json');
    writeFileSync(path, text);
    await expectCode(loadRegistryFile(path), 'ZICHT_REGISTRY_INVALID');
  });

  it('a missing file is ZICHT_IO', async () => {
    await expectCode(loadRegistryFile(join(import.meta.dirname, 'no-such-registry.json')), 'ZICHT_IO');
  });
});

describe('the participant schema', () => {
  it('applies defaults for gemeentecodes, afleveradressen and sleutels', () => {
    expect(Deelnemer.parse({ oin: '00000001999999999000', rol: 'auditor', naam: 'Inspectie (demo)', status: 'actief' })).toMatchObject({ gemeentecodes: [], afleveradressen: [], sleutels: [] });
  });

  it.each([
    ['an OIN of 19 digits', { oin: '0000000400000001000' }],
    ['an unknown role', { rol: 'politie' }],
    ['an unknown status', { status: 'active' }],
    ['a bad gemeentecode', { gemeentecodes: ['0935'] }],
    ['an ftp endpoint', { afleveradressen: [{ url: 'ftp://x.example/', kanaal: 'webhook' }] }],
    ['an unknown member', { telefoon: '112' }],
    ['a region profile that is not published (CFG-001)', { profiel: 'zuid-limburgg' }],
  ])('refuses %s: ZICHT_REGISTRY_INVALID', async (_name, changes) => {
    await expectCode(InMemoryDeelnemerRepository.of([{ ...vt(), ...changes }]), 'ZICHT_REGISTRY_INVALID');
  });

  it('takes every published region profile, and names the published ones when it refuses another (CFG-001)', () => {
    for (const profiel of ['landelijk-minimum', 'west-brabant', 'zuid-limburg']) expect(Deelnemer.parse({ ...vt(), profiel }).profiel).toBe(profiel);
    const refused = Deelnemer.safeParse({ ...vt(), profiel: 'noord-holland' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([{ path: ['profiel'], message: 'CFG-001: no region profile with this id is published in spec/v1/profiles (published: landelijk-minimum, west-brabant, zuid-limburg)' }]);
  });

  it('refuses a key whose kid is not its thumbprint, a private key and a symmetric key: ZICHT_REGISTRY_INVALID', async () => {
    const key = await generateSigningKey('EdDSA');
    const other = await generateSigningKey('EdDSA');
    await expectCode(InMemoryDeelnemerRepository.of([{ ...vt(), sleutels: [{ kid: other.kid, jwk: key.publicJwk }] }]), 'ZICHT_REGISTRY_INVALID');
    await expectCode(InMemoryDeelnemerRepository.of([{ ...vt(), sleutels: [{ kid: key.kid, jwk: key.privateJwk }] }]), 'ZICHT_REGISTRY_INVALID');
    await expectCode(InMemoryDeelnemerRepository.of([{ ...vt(), sleutels: [{ kid: key.kid, jwk: { kty: 'oct', k: 'AAAA' } }] }]), 'ZICHT_REGISTRY_INVALID');
  });

  it('refuses a second participant with the same OIN and the same key twice: ZICHT_REGISTRY_CONFLICT', async () => {
    await expectCode(InMemoryDeelnemerRepository.of([vt(), vt()]), 'ZICHT_REGISTRY_CONFLICT');
    const sleutels = vt().sleutels as unknown[];
    await expectCode(InMemoryDeelnemerRepository.of([{ ...vt(), sleutels: [sleutels[0], sleutels[0]] }]), 'ZICHT_REGISTRY_CONFLICT');
    const repository = await InMemoryDeelnemerRepository.of([vt()]);
    await expectCode(repository.addKey(String(vt().oin), sleutels[0]), 'ZICHT_REGISTRY_CONFLICT');
    await expectCode(repository.addKey('00000000000000000000', sleutels[0]), 'ZICHT_REGISTRY_CONFLICT');
    await expectCode(repository.revokeKey(String(vt().oin), 'x'.repeat(43), new Date()), 'ZICHT_REGISTRY_CONFLICT');
  });

  it('suspension keeps the keys resolvable (an auditor still verifies what was signed)', async () => {
    const repository = await InMemoryDeelnemerRepository.of([vt()]);
    const oin = String(vt().oin);
    await repository.setStatus(oin, 'geschorst');
    expect((await repository.get(oin))?.status).toBe('geschorst');
    const kid = (vt().sleutels as { kid: string }[])[1]!.kid;
    await expect(Promise.resolve(registryKeyResolver(repository).resolve(oin, kid))).resolves.toMatchObject({ kid });
  });
});
