/**
 * `zicht sign FILE --key JWK [--oin OIN] [--out FILE]`: adds the sender's signature (detached JWS
 * over the RFC 8785 form) to a bericht and writes the signed bericht to stdout or --out.
 * Exit 0 signed, 1 the bericht cannot be signed (with the reason code), 2 usage or I/O error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CanonicalError, IoError, JsonError, SignatureError, UsageError } from '../../errors.js';
import { parseStrictJson } from '../../json/strict-json.js';
import { readJson } from '../../rules/input.js';
import { signBericht } from '../../signing/sign.js';
import { createSigner } from '../../signing/signer.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht sign FILE --key JWK [--oin OIN] [--out FILE]

Signs the bericht in FILE as its sender: a detached JWS (RFC 7515 Appendix F) over the RFC 8785
canonical form of the bericht without its signatures member, added as signatures[0].

  --key JWK    the sender's private JWK (from zicht keys generate)
  --oin OIN    the signer's OIN (default: the key file's "oin" member)
  --out FILE   write the signed bericht here instead of stdout

Exit: 0 signed, 1 the bericht cannot be signed (reason code printed), 2 usage or I/O error.
`;

/** Reads a file as bytes, turning a failure into IoError. */
export function readFileOrFail(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new IoError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

/** Reads a small JSON file (a key, a JWKS, a registry, an audit bundle) with the strict reader (BER-017), turning any failure into IoError. */
export function readJsonFile(file: string): unknown {
  const text = readFileOrFail(file).toString('utf8');
  try {
    return parseStrictJson(text);
  } catch (error) {
    throw new IoError(error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER' ? `${file}: ${error.message}` : `${file} is not JSON`, { cause: error });
  }
}

export const signCommand: Command = {
  name: 'sign',
  summary: "add the sender's signature to a bericht (RFC 8785 + detached JWS)",
  usage,
  async run(args, io) {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({ args: [...args], options: { key: { type: 'string' }, oin: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true, strict: true }),
    );
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('give exactly one FILE');
    if (values.key === undefined) throw new UsageError('--key JWK is required');

    const privateJwk = readJsonFile(values.key);
    const keyOin = typeof privateJwk === 'object' && privateJwk !== null && 'oin' in privateJwk && typeof privateJwk.oin === 'string' ? privateJwk.oin : undefined;
    const oin = values.oin ?? keyOin;
    if (oin === undefined) throw new UsageError('the key file names no OIN; give --oin');
    const signer = await createSigner({ privateJwk, oin });

    const read = readJson(readFileOrFail(file));
    const duplicate = read.ok ? undefined : read.issues.find((issue) => issue.rule === 'BER-017');
    if (duplicate !== undefined) {
      io.stderr(`${file}: cannot sign: ZICHT_JSON_DUPLICATE_MEMBER (BER-017) at ${duplicate.path}\n`);
      return EXIT.findings;
    }
    let signed: unknown;
    try {
      if (!read.ok) throw new SignatureError('ZICHT_SIGNATURE_BERICHT_INVALID', { message: 'the file is not a JSON bericht' });
      signed = await signBericht(read.value as object, signer);
    } catch (error) {
      if (error instanceof SignatureError || error instanceof CanonicalError) {
        io.stderr(`${file}: cannot sign: ${error.code} ${error.message}\n`);
        return EXIT.findings;
      }
      throw error;
    }
    const text = `${JSON.stringify(signed, null, 2)}\n`;
    if (values.out === undefined) {
      io.stdout(text);
    } else {
      try {
        writeFileSync(values.out, text);
      } catch (error) {
        throw new IoError(`cannot write ${values.out} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
      }
    }
    return EXIT.ok;
  },
};
