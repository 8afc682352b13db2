/**
 * `zicht verify FILE... (--jwks FILE | --registry FILE) [--gateway-jwks FILE] [--require-countersignature] [--at TIME]`:
 * verifies every signature of each bericht, judging keys at the moment spec/v1/time-and-keys.md names (a
 * countersigned bericht at its countersignature's rcv, an uncountersigned one at now or --at) and saying which. Exit 0 all valid, 1 any invalid (each with its reason
 * code), 2 usage or I/O error (including an unusable key file: nothing was judged).
 */
import { parseArgs } from 'node:util';
import { CanonicalError, KeyError, SignatureError, UsageError } from '../../errors.js';
import { registryKeyResolver } from '../../registry/key-resolver.js';
import { loadRegistryFile } from '../../registry/file.js';
import { signatureRuleFor } from '../../rules/gateway.js';
import { readJson } from '../../rules/input.js';
import { combineKeyResolvers, jwksKeyResolver, type KeyResolver } from '../../signing/key-resolver.js';
import { verifyBericht } from '../../signing/verify.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readFileOrFail, readJsonFile } from './sign.js';

const usage = `usage: zicht verify FILE... (--jwks FILE | --registry FILE) [--gateway-jwks FILE] [--require-countersignature] [--at TIME]

Verifies the signatures of each bericht: the sender's (over the RFC 8785 form of the bericht
without its signatures) and any gateway countersignature.

  --jwks FILE                  public keys of senders (JWK Set; may be repeated); trusted for any OIN, no validity window
  --gateway-jwks FILE          the gateway's public keys, for countersignatures (may be repeated)
  --registry FILE              a Zicht registry file (demo network): keys per OIN with validity and role
  --require-countersignature   a bericht without a gateway countersignature is invalid
  --at TIME                    judge as of TIME (RFC 3339, e.g. 2026-03-02T09:00:00Z) instead of now: for archives

Keys are judged at a moment the verifier trusts, never at the signer's iat (spec/v1/time-and-keys.md):
a countersigned bericht at its first countersignature's rcv (the gateway's clock at receipt), an
uncountersigned one at now (or --at). Each valid line says which moment it used.

Exit: 0 valid, 1 invalid (reason code and rule printed, as the gateway names them), 2 usage or I/O error.
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
          at: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (positionals.length === 0) throw new UsageError('no FILE given');
    if (values.jwks === undefined && values.registry === undefined) throw new UsageError('give --jwks FILE or --registry FILE');
    const at = values.at === undefined ? undefined : new Date(values.at);
    if (at !== undefined && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(values.at ?? '') || Number.isNaN(at.getTime()))) {
      throw new UsageError('--at must be an RFC 3339 date-time with a zone, e.g. 2026-03-02T09:00:00Z');
    }

    const resolvers: KeyResolver[] = [];
    if (values.registry !== undefined) resolvers.push(registryKeyResolver(await loadRegistryFile(values.registry)));
    for (const file of values.jwks ?? []) resolvers.push(jwksKeyResolver(readJsonFile(file)));
    for (const file of values['gateway-jwks'] ?? []) resolvers.push(jwksKeyResolver(readJsonFile(file), { rol: 'gateway' }));
    const keys = combineKeyResolvers(...resolvers);

    let allValid = true;
    for (const file of positionals) {
      const read = readJson(readFileOrFail(file));
      const duplicate = read.ok ? undefined : read.issues.find((issue) => issue.rule === 'BER-017');
      if (duplicate !== undefined) {
        allValid = false;
        io.stdout(`${file}: invalid ZICHT_JSON_DUPLICATE_MEMBER (BER-017) at ${duplicate.path}: ${duplicate.message}\n`);
        continue;
      }
      try {
        if (!read.ok) throw new SignatureError('ZICHT_SIGNATURE_BERICHT_INVALID', { message: 'the file is not a JSON bericht' });
        const verified = await verifyBericht(read.value, { keys, requireCountersignature: values['require-countersignature'], ...(at === undefined ? {} : { now: at }) });
        const counter = verified.countersignatures.length;
        const moment = new Date(verified.judgedAt.at * 1000).toISOString();
        const by = verified.judgedAt.by === 'countersignature' ? "the countersignature's rcv" : at === undefined ? 'now' : '--at';
        io.stdout(`${file}: valid (sender ${verified.sender.alg} kid ${verified.sender.kid}${counter > 0 ? `; ${counter} gateway countersignature${counter > 1 ? 's' : ''}` : ''}; keys judged at ${moment}, ${by})\n`);
      } catch (error) {
        if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) {
          allValid = false;
          io.stdout(`${file}: invalid ${error.code} (${signatureRuleFor(error.code)}) ${error.message}\n`);
          continue;
        }
        throw error;
      }
    }
    return allValid ? EXIT.ok : EXIT.findings;
  },
};
