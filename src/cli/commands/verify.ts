/**
 * `zicht verify FILE... (--jwks FILE | --registry FILE) [--gateway-jwks FILE] [--require-countersignature]`:
 * verifies every signature of each bericht. Exit 0 all valid, 1 any invalid (each with its reason
 * code), 2 usage or I/O error (including an unusable key file: nothing was judged).
 */
import { parseArgs } from 'node:util';
import { CanonicalError, KeyError, SignatureError, UsageError } from '../../errors.js';
import { registryKeyResolver } from '../../registry/key-resolver.js';
import { loadRegistryFile } from '../../registry/file.js';
import { readJson } from '../../rules/input.js';
import { combineKeyResolvers, jwksKeyResolver, type KeyResolver } from '../../signing/key-resolver.js';
import { verifyBericht } from '../../signing/verify.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readFileOrFail, readJsonFile } from './sign.js';

const usage = `usage: zicht verify FILE... (--jwks FILE | --registry FILE) [--gateway-jwks FILE] [--require-countersignature]

Verifies the signatures of each bericht: the sender's (over the RFC 8785 form of the bericht
without its signatures) and any gateway countersignature.

  --jwks FILE                  public keys of senders (JWK Set; may be repeated); trusted for any OIN, no validity window
  --gateway-jwks FILE          the gateway's public keys, for countersignatures (may be repeated)
  --registry FILE              a Zicht registry file (demo network): keys per OIN with validity and role
  --require-countersignature   a bericht without a gateway countersignature is invalid

Exit: 0 valid, 1 invalid (reason code printed), 2 usage or I/O error.
`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify the signatures of berichten against a JWKS or a registry',
  usage,
  async run(args, io) {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: {
          jwks: { type: 'string', multiple: true },
          'gateway-jwks': { type: 'string', multiple: true },
          registry: { type: 'string' },
          'require-countersignature': { type: 'boolean', default: false },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (positionals.length === 0) throw new UsageError('no FILE given');
    if (values.jwks === undefined && values.registry === undefined) throw new UsageError('give --jwks FILE or --registry FILE');

    const resolvers: KeyResolver[] = [];
    if (values.registry !== undefined) resolvers.push(registryKeyResolver(await loadRegistryFile(values.registry)));
    for (const file of values.jwks ?? []) resolvers.push(jwksKeyResolver(readJsonFile(file)));
    for (const file of values['gateway-jwks'] ?? []) resolvers.push(jwksKeyResolver(readJsonFile(file), { rol: 'gateway' }));
    const keys = combineKeyResolvers(...resolvers);

    let allValid = true;
    for (const file of positionals) {
      const read = readJson(readFileOrFail(file));
      try {
        if (!read.ok) throw new SignatureError('ZICHT_SIGNATURE_BERICHT_INVALID', { message: 'the file is not a JSON bericht' });
        const verified = await verifyBericht(read.value, { keys, requireCountersignature: values['require-countersignature'] });
        const counter = verified.countersignatures.length;
        io.stdout(`${file}: valid (sender ${verified.sender.alg} kid ${verified.sender.kid}${counter > 0 ? `; ${counter} gateway countersignature${counter > 1 ? 's' : ''}` : ''})\n`);
      } catch (error) {
        if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) {
          allValid = false;
          io.stdout(`${file}: invalid ${error.code} ${error.message}\n`);
          continue;
        }
        throw error;
      }
    }
    return allValid ? EXIT.ok : EXIT.findings;
  },
};
