/**
 * `zicht keys generate --alg ES256|PS256|EdDSA --oin OIN --out DIR`: a new signing key pair for a
 * participant. Writes the private JWK (mode 0600, never overwritten) and adds the public key to the
 * participant's JWK Set, so generating again is a rotation that keeps the old key verifiable.
 *
 * `zicht keys generate --use enc [--alg RSA-OAEP-256|ECDH-ES] [--crv P-256|P-384|X25519]`: a new
 * encryption key pair (ENC-001) for a receiver that wants its berichten as JWE. The private JWK goes to a
 * file (mode 0600); the public half is added to the participant's list of `versleutelingssleutels`, ready
 * for the registry, so that generating again is a rotation (set `exp` on the old one when the new is live).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IoError, UsageError } from '../../errors.js';
import { Oin } from '../../model/primitives.js';
import { DEFAULT_SIGNING_ALGORITHM, isSigningAlgorithm, SIGNING_ALGORITHMS } from '../../signing/algorithms.js';
import { generateEncryptionKey, type EncryptionKeyKind } from '../../delivery/decrypt.js';
import { Versleutelingssleutel } from '../../registry/versleutelingssleutel.js';
import { generateSigningKey } from '../../signing/generate.js';
import { PublicJwks } from '../../signing/jwk.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command, type ExitCode } from '../command.js';
import { readJsonFile } from './sign.js';

const usage = `usage: zicht keys generate [--alg ES256|PS256|EdDSA] --oin OIN --out DIR
       zicht keys generate --use enc [--alg RSA-OAEP-256|ECDH-ES] [--crv P-256|P-384|X25519] --oin OIN --out DIR

Generates a signing key pair for the participant with this OIN (kid = RFC 7638 thumbprint):

  DIR/OIN.KID.private.jwk.json   the private JWK (with "oin"), for zicht sign --key; mode 0600
  DIR/OIN.jwks.json              the public JWK Set, for zicht verify --jwks; a new key is added to it

  --alg   ES256 (default), PS256 (3072-bit RSA) or EdDSA (Ed25519)

With --use enc, an encryption key pair (ENC-001, spec §7.1): the gateway then delivers to the participant
as JWE (A256GCM) once its registry entry lists the public key:

  DIR/OIN.KID.private.enc.jwk.json    the private JWK, to decrypt what the gateway sends; mode 0600
  DIR/OIN.versleutelingssleutels.json the public keys as registry entries (versleutelingssleutels);
                                      a new key is added to it

  --alg   ECDH-ES (default) or RSA-OAEP-256 (3072-bit RSA)
  --crv   for ECDH-ES: P-256 (default), P-384 or X25519

Exit: 0 written, 2 usage or I/O error.
`;

const ENC_CURVES = ['P-256', 'P-384', 'X25519'] as const;

function write(path: string, text: string, flag: 'wx' | 'w', mode: number): void {
  try {
    writeFileSync(path, text, { flag, mode });
  } catch (error) {
    throw new IoError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'generate a signing key pair (private JWK and public JWKS)',
  usage,
  async run(args, io) {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: { alg: { type: 'string' }, crv: { type: 'string' }, use: { type: 'string', default: 'sig' }, oin: { type: 'string' }, out: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (positionals.length !== 1 || positionals[0] !== 'generate') throw new UsageError("the only keys subcommand is 'generate'");
    if (values.use !== 'sig' && values.use !== 'enc') throw new UsageError("--use must be 'sig' (signing, the default) or 'enc' (encryption)");
    if (values.oin === undefined || !Oin.safeParse(values.oin).success) throw new UsageError('--oin must be an OIN of 20 digits');
    if (values.out === undefined) throw new UsageError('--out DIR is required');
    const { oin, out } = values;
    if (values.use === 'enc') {
      const kind = encryptionKind(values.alg, values.crv);
      makeDir(out);
      return writeEncryptionKey(kind, oin, out, (text) => {
        io.stdout(text);
      });
    }
    if (values.crv !== undefined) throw new UsageError('--crv is only for --use enc');
    const alg = values.alg ?? DEFAULT_SIGNING_ALGORITHM;
    if (!isSigningAlgorithm(alg)) throw new UsageError(`--alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`);

    const key = await generateSigningKey(alg);
    makeDir(out);
    const jwksPath = join(out, `${oin}.jwks.json`);
    let keys: PublicJwks['keys'] = [];
    if (existsSync(jwksPath)) {
      const existing = PublicJwks.safeParse(readJsonFile(jwksPath));
      if (!existing.success) throw new IoError(`${jwksPath} exists but is not a public JWK Set; not overwritten`);
      keys = existing.data.keys;
    }
    const privatePath = join(out, `${oin}.${key.kid}.private.jwk.json`);
    write(privatePath, `${JSON.stringify({ ...key.privateJwk, oin }, null, 2)}\n`, 'wx', 0o600);
    write(jwksPath, `${JSON.stringify({ keys: [...keys, key.publicJwk] }, null, 2)}\n`, 'w', 0o644);
    io.stdout(`kid ${key.kid} (${key.alg})\nprivate key: ${privatePath}\npublic JWKS: ${jwksPath}\n`);
    return EXIT.ok;
  },
};

function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new IoError(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

/** The encryption key kind that `--alg` and `--crv` ask for (ENC-001). */
function encryptionKind(alg: string | undefined, crv: string | undefined): EncryptionKeyKind {
  if (alg === 'RSA-OAEP-256') {
    if (crv !== undefined) throw new UsageError('--crv is only for --alg ECDH-ES');
    return 'RSA-OAEP-256';
  }
  if (alg !== undefined && alg !== 'ECDH-ES') throw new UsageError('with --use enc, --alg must be ECDH-ES or RSA-OAEP-256 (ENC-001)');
  const curve = crv ?? 'P-256';
  if (!(ENC_CURVES as readonly string[]).includes(curve)) throw new UsageError(`--crv must be one of ${ENC_CURVES.join(', ')}`);
  return `ECDH-ES ${curve as (typeof ENC_CURVES)[number]}`;
}

const Versleutelingssleutels = Versleutelingssleutel.array();

async function writeEncryptionKey(kind: EncryptionKeyKind, oin: string, out: string, stdout: (text: string) => void): Promise<ExitCode> {
  const listPath = join(out, `${oin}.versleutelingssleutels.json`);
  let sleutels: Versleutelingssleutel[] = [];
  if (existsSync(listPath)) {
    const existing = Versleutelingssleutels.safeParse(readJsonFile(listPath));
    if (!existing.success) throw new IoError(`${listPath} exists but is not a list of versleutelingssleutels; not overwritten`);
    sleutels = existing.data;
  }
  const { key, sleutel } = await generateEncryptionKey(kind);
  const privatePath = join(out, `${oin}.${key.kid}.private.enc.jwk.json`);
  write(privatePath, `${JSON.stringify(key.privateJwk, null, 2)}\n`, 'wx', 0o600);
  write(listPath, `${JSON.stringify([...sleutels, sleutel], null, 2)}\n`, 'w', 0o644);
  stdout(`kid ${key.kid} (${kind}, encryption)\nprivate key: ${privatePath}\nregistry entries: ${listPath}\n`);
  return EXIT.ok;
}
