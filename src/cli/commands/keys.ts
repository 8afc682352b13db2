/**
 * `zicht keys generate --alg ES256|PS256|EdDSA --oin OIN --out DIR`: a new signing key pair for a
 * participant. Writes the private JWK (mode 0600, never overwritten) and adds the public key to the
 * participant's JWK Set, so generating again is a rotation that keeps the old key verifiable.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IoError, UsageError } from '../../errors.js';
import { Oin } from '../../model/primitives.js';
import { DEFAULT_SIGNING_ALGORITHM, isSigningAlgorithm, SIGNING_ALGORITHMS } from '../../signing/algorithms.js';
import { generateSigningKey } from '../../signing/generate.js';
import { PublicJwks } from '../../signing/jwk.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readJsonFile } from './sign.js';

const usage = `usage: zicht keys generate [--alg ES256|PS256|EdDSA] --oin OIN --out DIR

Generates a signing key pair for the participant with this OIN (kid = RFC 7638 thumbprint):

  DIR/OIN.KID.private.jwk.json   the private JWK (with "oin"), for zicht sign --key; mode 0600
  DIR/OIN.jwks.json              the public JWK Set, for zicht verify --jwks; a new key is added to it

  --alg   ES256 (default), PS256 (3072-bit RSA) or EdDSA (Ed25519)

Exit: 0 written, 2 usage or I/O error.
`;

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
        options: { alg: { type: 'string', default: DEFAULT_SIGNING_ALGORITHM }, oin: { type: 'string' }, out: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (positionals.length !== 1 || positionals[0] !== 'generate') throw new UsageError("the only keys subcommand is 'generate'");
    if (!isSigningAlgorithm(values.alg)) throw new UsageError(`--alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
    if (values.oin === undefined || !Oin.safeParse(values.oin).success) throw new UsageError('--oin must be an OIN of 20 digits');
    if (values.out === undefined) throw new UsageError('--out DIR is required');
    const { oin, out } = values;

    const key = await generateSigningKey(values.alg);
    try {
      mkdirSync(out, { recursive: true });
    } catch (error) {
      throw new IoError(`cannot create ${out} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
    }
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
