/**
 * `zicht keys generate`, `zicht sign` and `zicht verify` in-process through main() with a collecting
 * Io: the round trip on every valid spec example (spec/v1/examples/valid/) for every algorithm, the
 * exit codes (0 valid, 1 invalid with the reason code, 2 usage or I/O error).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/command.js';
import { decryptBody, type DecryptionKey } from '../src/delivery/decrypt.js';
import { encryptBody } from '../src/delivery/encrypt.js';
import { Versleutelingssleutel } from '../src/registry/versleutelingssleutel.js';
import { EXAMPLES_DIR, examples, senderOf } from './signing/helpers.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'zicht-cli-signing-'));
const OIN = senderOf(examples[0]![1]);

/** Generates a key for `oin` into `out` and returns the private key path and the JWKS path. */
async function generate(alg: string, oin: string, out: string): Promise<{ key: string; jwks: string; kid: string }> {
  const result = await run('keys', 'generate', '--alg', alg, '--oin', oin, '--out', out);
  expect(result.code, result.err).toBe(0);
  const kid = /^kid (\S+) /.exec(result.out)?.[1] ?? '';
  return { key: join(out, `${oin}.${kid}.private.jwk.json`), jwks: join(out, `${oin}.jwks.json`), kid };
}

describe('zicht keys generate', () => {
  it('writes a private JWK (mode 0600, with kid, alg, oin) and a public JWKS, and adds to the JWKS on rotation', async () => {
    const out = join(dir, 'rotation');
    const first = await generate('ES256', OIN, out);
    const second = await generate('EdDSA', OIN, out);
    const privateJwk = JSON.parse(readFileSync(first.key, 'utf8')) as Record<string, unknown>;
    expect(privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: first.kid, alg: 'ES256', use: 'sig', oin: OIN });
    expect(typeof privateJwk.d).toBe('string');
    expect(statSync(first.key).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(readFileSync(first.jwks, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([first.kid, second.kid]);
    expect(jwks.keys.every((k) => !('d' in k))).toBe(true);
  });

  it.each([
    [['keys'], 'ZICHT_USAGE'],
    [['keys', 'generate', '--alg', 'HS256', '--oin', OIN, '--out', dir], 'ZICHT_USAGE'],
    [['keys', 'generate', '--alg', 'none', '--oin', OIN, '--out', dir], 'ZICHT_USAGE'],
    [['keys', 'generate', '--oin', '123', '--out', dir], 'ZICHT_USAGE'],
    [['keys', 'generate', '--oin', OIN], 'ZICHT_USAGE'],
  ])('%j: exit 2 (%s)', async (argv, code) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(code);
  });
});

describe('zicht keys generate --use enc (ENC-001)', () => {
  it.each([
    [['--alg', 'RSA-OAEP-256'], 'RSA', 'RSA-OAEP-256'],
    [[], 'EC', 'ECDH-ES'],
    [['--crv', 'X25519'], 'OKP', 'ECDH-ES'],
  ])('%j: a private key (mode 0600) that opens what the gateway encrypts to the registry entry it adds', async (extra, kty, alg) => {
    const out = join(dir, `enc-${kty}`);
    const first = await run('keys', 'generate', '--use', 'enc', ...extra, '--oin', OIN, '--out', out);
    const second = await run('keys', 'generate', '--use', 'enc', ...extra, '--oin', OIN, '--out', out);
    expect(first.code, first.err).toBe(0);
    expect(second.code, second.err).toBe(0);
    const kid = /^kid (\S+) /.exec(first.out)?.[1] ?? '';
    const privatePath = join(out, `${OIN}.${kid}.private.enc.jwk.json`);
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    const privateJwk = JSON.parse(readFileSync(privatePath, 'utf8')) as DecryptionKey['privateJwk'];
    expect(privateJwk).toMatchObject({ kty, alg, use: 'enc', kid });
    expect(first.out + second.out).not.toContain(String(privateJwk.d));

    // The list is what the registry takes (strictly checked), with the public halves only, in order.
    const sleutels = Versleutelingssleutel.array().parse(JSON.parse(readFileSync(join(out, `${OIN}.versleutelingssleutels.json`), 'utf8')));
    expect(sleutels).toHaveLength(2);
    expect(sleutels[0]?.kid).toBe(kid);
    expect(sleutels.every((k) => !('d' in k.jwk))).toBe(true);

    const jwe = await encryptBody('{"berichtId":"x"}', sleutels[0]!);
    const opened = await decryptBody(jwe, [{ kid, alg: alg as DecryptionKey['alg'], privateJwk }]);
    expect(new TextDecoder().decode(opened.plaintext)).toBe('{"berichtId":"x"}');
  }, 60_000);

  it.each([
    [['--use', 'enc', '--alg', 'ES256'], '--alg must be ECDH-ES or RSA-OAEP-256'],
    [['--use', 'enc', '--alg', 'RSA-OAEP'], '--alg must be ECDH-ES or RSA-OAEP-256'],
    [['--use', 'enc', '--crv', 'P-521'], '--crv must be one of'],
    [['--use', 'enc', '--alg', 'RSA-OAEP-256', '--crv', 'P-256'], '--crv is only for --alg ECDH-ES'],
    [['--use', 'both'], "--use must be 'sig'"],
    [['--crv', 'P-256'], '--crv is only for --use enc'],
  ])('%j: exit 2 with a usage error', async (extra, message) => {
    const result = await run('keys', 'generate', ...extra, '--oin', OIN, '--out', join(dir, 'enc-refused'));
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});

describe.each(['ES256', 'PS256', 'EdDSA'])('round trip with %s', (alg) => {
  const out = join(dir, alg);
  const keysByOin = new Map<string, { key: string; jwks: string }>();

  // One key per sender of the examples; 3072-bit RSA generation takes seconds on a busy machine.
  beforeAll(async () => {
    for (const oin of new Set(examples.map(([, b]) => senderOf(b)))) keysByOin.set(oin, await generate(alg, oin, out));
  }, 180_000);

  it.each(readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')))('%s: sign exits 0, verify exits 0, a changed copy exits 1', async (file) => {
    const bericht = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown>;
    const { key, jwks } = keysByOin.get(senderOf(bericht))!;
    const signedPath = join(out, `signed-${file}`);

    const signed = await run('sign', join(EXAMPLES_DIR, file), '--key', key, '--out', signedPath);
    expect(signed.code, signed.err).toBe(0);
    expect((JSON.parse(readFileSync(signedPath, 'utf8')) as { signatures: unknown[] }).signatures).toHaveLength(1);

    const verified = await run('verify', signedPath, '--jwks', jwks);
    expect(verified.code, verified.out + verified.err).toBe(0);
    expect(verified.out).toContain(`${signedPath}: valid (sender ${alg}`);

    const changed = JSON.parse(readFileSync(signedPath, 'utf8')) as Record<string, unknown>;
    changed.verzondenOp = '2030-01-01T00:00:00+01:00';
    const changedPath = join(out, `changed-${file}`);
    writeFileSync(changedPath, JSON.stringify(changed));
    const refused = await run('verify', changedPath, '--jwks', jwks);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('invalid ZICHT_SIGNATURE_INVALID');
    expect(refused.out).not.toContain('2030-01-01');
  });
});

describe('zicht sign and verify: findings and errors', () => {
  let key: string;
  let jwks: string;
  let signedPath: string;
  const examplePath = join(EXAMPLES_DIR, examples[0]![0]);

  beforeAll(async () => {
    ({ key, jwks } = await generate('EdDSA', OIN, join(dir, 'errors')));
    signedPath = join(dir, 'errors', 'signed.json');
    expect((await run('sign', examplePath, '--key', key, '--out', signedPath)).code).toBe(0);
  });

  it('sign writes to stdout without --out', async () => {
    const result = await run('sign', examplePath, '--key', key);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.out) as { signatures: unknown[] }).signatures).toHaveLength(1);
  });

  it('signing with a key of another OIN: exit 1 with ZICHT_SIGNATURE_OIN_MISMATCH', async () => {
    const result = await run('sign', examplePath, '--key', key, '--oin', '00000009000000000001');
    expect(result.code).toBe(1);
    expect(result.err).toContain('ZICHT_SIGNATURE_OIN_MISMATCH');
  });

  it('signing a signed bericht: exit 1 with ZICHT_SIGNATURE_ALREADY_SIGNED', async () => {
    const result = await run('sign', signedPath, '--key', key);
    expect(result.code).toBe(1);
    expect(result.err).toContain('ZICHT_SIGNATURE_ALREADY_SIGNED');
  });

  it('verifying an unsigned bericht: exit 1 with ZICHT_SIGNATURE_MISSING', async () => {
    const result = await run('verify', examplePath, '--jwks', jwks);
    expect(result.code).toBe(1);
    expect(result.out).toContain('ZICHT_SIGNATURE_MISSING');
  });

  it('verifying with an unrelated JWKS: exit 1 with ZICHT_KEY_UNKNOWN', async () => {
    const other = await generate('ES256', OIN, join(dir, 'other'));
    const result = await run('verify', signedPath, '--jwks', other.jwks);
    expect(result.code).toBe(1);
    expect(result.out).toContain('ZICHT_KEY_UNKNOWN');
  });

  it('verifying a file that is not JSON: exit 1 with ZICHT_SIGNATURE_BERICHT_INVALID', async () => {
    const path = join(dir, 'errors', 'not-json.json');
    writeFileSync(path, '{"verzender":');
    const result = await run('verify', path, '--jwks', jwks);
    expect(result.code).toBe(1);
    expect(result.out).toContain('ZICHT_SIGNATURE_BERICHT_INVALID');
  });

  it('several files: exit 1 when any is invalid, each reported', async () => {
    const result = await run('verify', signedPath, examplePath, '--jwks', jwks);
    expect(result.code).toBe(1);
    expect(result.out.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('--require-countersignature without one: exit 1', async () => {
    const result = await run('verify', signedPath, '--jwks', jwks, '--require-countersignature');
    expect(result.code).toBe(1);
    expect(result.out).toContain('ZICHT_SIGNATURE_MISSING');
  });

  it('a JWKS with a symmetric key: exit 2 with ZICHT_KEY_INVALID (nothing was judged)', async () => {
    const path = join(dir, 'errors', 'oct.jwks.json');
    writeFileSync(path, JSON.stringify({ keys: [{ kty: 'oct', k: 'AAAA' }] }));
    const result = await run('verify', signedPath, '--jwks', path);
    expect(result.code).toBe(2);
    expect(result.err).toContain('ZICHT_KEY_INVALID');
  });

  it('a public key given to sign: exit 2 with ZICHT_KEY_INVALID', async () => {
    const result = await run('sign', examplePath, '--key', jwks, '--oin', OIN);
    expect(result.code).toBe(2);
    expect(result.err).toContain('ZICHT_KEY_INVALID');
  });

  it.each([
    [['verify', 'x.json'], 'ZICHT_USAGE'],
    [['verify', '--jwks', 'x.json'], 'ZICHT_USAGE'],
    [['verify', 'x.json', '--jwks', 'x.json', '--bogus'], 'ZICHT_USAGE'],
    [['sign', 'x.json'], 'ZICHT_USAGE'],
    [['sign', '--key', 'k.json'], 'ZICHT_USAGE'],
    [['sign', 'no-such-file.json', '--key', 'no-such-key.json'], 'ZICHT_IO'],
    [['verify', 'no-such-file.json', '--jwks', 'no-such-jwks.json'], 'ZICHT_IO'],
  ])('%j: exit 2 (%s)', async (argv, code) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(code);
  });

  it('a missing bericht file with a good JWKS: exit 2 (ZICHT_IO)', async () => {
    const result = await run('verify', join(dir, 'no-such.json'), '--jwks', jwks);
    expect(result.code).toBe(2);
    expect(result.err).toContain('ZICHT_IO');
  });
});

describe('zicht verify --registry', () => {
  it('verifies against a registry file, including the gateway role for countersignatures', async () => {
    const { generateSigningKey } = await import('../src/signing/generate.js');
    const { createSigner } = await import('../src/signing/signer.js');
    const { countersignBericht } = await import('../src/signing/countersign.js');
    const out = join(dir, 'registry');
    const sender = await generate('ES256', OIN, out);
    const gw = await generateSigningKey('EdDSA');
    const senderJwks = JSON.parse(readFileSync(sender.jwks, 'utf8')) as { keys: Record<string, unknown>[] };
    const registry = {
      zichtRegistry: 1,
      deelnemers: [
        { oin: OIN, rol: 'vt', naam: 'VT (test)', status: 'actief', sleutels: [{ kid: sender.kid, jwk: senderJwks.keys[0] }] },
        { oin: '00000001999999999000', rol: 'gateway', naam: 'Gateway (test)', status: 'actief', sleutels: [{ kid: gw.kid, jwk: gw.publicJwk }] },
      ],
    };
    const registryPath = join(out, 'registry.json');
    writeFileSync(registryPath, JSON.stringify(registry));
    const signedPath = join(out, 'signed.json');
    expect((await run('sign', join(EXAMPLES_DIR, examples[0]![0]), '--key', sender.key, '--out', signedPath)).code).toBe(0);
    const countersigned = await countersignBericht(
      JSON.parse(readFileSync(signedPath, 'utf8')) as object,
      await createSigner({ privateJwk: gw.privateJwk, oin: '00000001999999999000' }),
      new Date(),
    );
    const countersignedPath = join(out, 'countersigned.json');
    writeFileSync(countersignedPath, JSON.stringify(countersigned));

    const result = await run('verify', countersignedPath, '--registry', registryPath, '--require-countersignature');
    expect(result.code, result.out + result.err).toBe(0);
    expect(result.out).toContain('1 gateway countersignature');

    // The same gateway key given as a plain JWKS has no role: the countersignature is refused.
    const plain = join(out, 'gw.jwks.json');
    writeFileSync(plain, JSON.stringify({ keys: [gw.publicJwk] }));
    const noRole = await run('verify', countersignedPath, '--jwks', sender.jwks, '--jwks', plain);
    expect(noRole.code).toBe(1);
    expect(noRole.out).toContain('ZICHT_SIGNATURE_SIGNER_ROLE');
    const asGateway = await run('verify', countersignedPath, '--jwks', sender.jwks, '--gateway-jwks', plain);
    expect(asGateway.code, asGateway.out).toBe(0);
  });
});

describe('zicht verify --at: whose clock (spec/v1/time-and-keys.md)', () => {
  it('judges an uncountersigned bericht at now or --at, a countersigned one at its rcv, and says which', async () => {
    const { signBericht } = await import('../src/signing/sign.js');
    const { createSigner } = await import('../src/signing/signer.js');
    const { generateSigningKey } = await import('../src/signing/generate.js');
    const { countersignBericht } = await import('../src/signing/countersign.js');
    const out = join(dir, 'at');
    const key = await generateSigningKey('EdDSA');
    const gw = await generateSigningKey('EdDSA');
    const GW = '00000001999999999000';
    // The sender's key was valid for March 2026 only; the registry says so.
    const registryPath = join(out, 'registry.json');
    mkdirSync(out, { recursive: true });
    writeFileSync(registryPath, JSON.stringify({
      zichtRegistry: 1,
      deelnemers: [
        { oin: OIN, rol: 'vt', naam: 'VT (test)', status: 'actief', sleutels: [{ kid: key.kid, jwk: key.publicJwk, nbf: '2026-03-01T00:00:00Z', exp: '2026-04-01T00:00:00Z' }] },
        { oin: GW, rol: 'gateway', naam: 'Gateway (test)', status: 'actief', sleutels: [{ kid: gw.kid, jwk: gw.publicJwk }] },
      ],
    }));
    const signed = await signBericht(examples[0]![1], await createSigner({ privateJwk: key.privateJwk, oin: OIN }), { iat: new Date('2026-03-02T09:00:00Z') });
    const signedPath = join(out, 'signed.json');
    writeFileSync(signedPath, JSON.stringify(signed));

    // Now (after exp): expired, whatever iat says.
    const now = await run('verify', signedPath, '--registry', registryPath);
    expect(now.code, now.out).toBe(1);
    expect(now.out).toContain('ZICHT_KEY_EXPIRED');
    // As of an archive's moment inside the window: valid, and the output names the moment and its source.
    const archived = await run('verify', signedPath, '--registry', registryPath, '--at', '2026-03-02T09:01:00Z');
    expect(archived.code, archived.out).toBe(0);
    expect(archived.out).toContain('keys judged at 2026-03-02T09:01:00.000Z, --at');
    // A forward-dated iat does not make a not-yet-valid key valid: judged at --at before nbf.
    const early = await run('verify', signedPath, '--registry', registryPath, '--at', '2026-02-28T23:59:00Z');
    expect(early.out).toContain('ZICHT_KEY_NOT_YET_VALID');

    // Countersigned inside the window: judged at rcv, whatever the verifier's clock.
    const rcv = new Date('2026-03-02T09:00:02Z');
    const countersigned = await countersignBericht(signed, await createSigner({ privateJwk: gw.privateJwk, oin: GW }), rcv, { iat: rcv });
    const countersignedPath = join(out, 'countersigned.json');
    writeFileSync(countersignedPath, JSON.stringify(countersigned));
    const received = await run('verify', countersignedPath, '--registry', registryPath);
    expect(received.code, received.out).toBe(0);
    expect(received.out).toContain("keys judged at 2026-03-02T09:00:02.000Z, the countersignature's rcv");
    // --at before the rcv: the gateway cannot have received it later than the verifier's clock plus the skew.
    const before = await run('verify', countersignedPath, '--registry', registryPath, '--at', '2026-03-01T00:00:00Z');
    expect(before.out).toContain('ZICHT_SIGNATURE_IAT_FUTURE');

    expect((await run('verify', signedPath, '--registry', registryPath, '--at', 'yesterday')).code).toBe(2);
  });
});

describe('zicht sign and verify: a member named twice (BER-017)', () => {
  it('neither signs nor verifies a bericht that names a member twice: exit 1 with ZICHT_JSON_DUPLICATE_MEMBER (BER-017) and its path', async () => {
    const out = join(dir, 'duplicate');
    const key = await generate('ES256', OIN, out);
    const path = join(EXAMPLES_DIR, '..', 'invalid', 'BER-017-dubbele-naam.json');
    const signing = await run('sign', path, '--key', key.key);
    expect(signing.code).toBe(1);
    expect(signing.err).toContain('ZICHT_JSON_DUPLICATE_MEMBER (BER-017) at $.verzender.oin');
    const verifying = await run('verify', path, '--jwks', key.jwks);
    expect(verifying.code).toBe(1);
    expect(verifying.out).toContain('invalid ZICHT_JSON_DUPLICATE_MEMBER (BER-017) at $.verzender.oin');
  });
});
