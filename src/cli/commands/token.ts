/**
 * `zicht token --key JWK [--aud OIN] [--oin OIN]`: a bearer token for calling a gateway with curl or any HTTP
 * tool (spec/v1/README.md "Authentication"): a JWT signed with the participant's registered key, `iss` its OIN,
 * `aud` the gateway's OIN, valid 60 seconds, a new `jti` each time (one token per request).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { Oin } from '../../model/primitives.js';
import { createBearerToken } from '../../signing/bearer-token.js';
import { createSigner } from '../../signing/signer.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readJsonFile } from './sign.js';

/** The OIN of the demo network's and the conformance suite's gateway. */
const DEFAULT_AUDIENCE = '00000009000000000001';

const usage = `usage: zicht token --key JWK [--aud OIN] [--oin OIN]

Prints a bearer token (JWT) for one request to a Zicht gateway, e.g.
  curl -H "Authorization: Bearer $(npx zicht token --key my.private.jwk.json)" http://127.0.0.1:8700/v1/postbus

  --key JWK   your private signing key (zicht keys generate; a sandbox's vendor/*.private.jwk.json)
  --aud OIN   the gateway's OIN (default ${DEFAULT_AUDIENCE}, the sandbox's and the conformance suite's)
  --oin OIN   your OIN (default: the key file's "oin" member)

The token is valid 60 seconds and carries a new jti: use one per request.

Exit: 0 printed, 2 usage or I/O error (a key that cannot sign).
`;

export const tokenCommand: Command = {
  name: 'token',
  summary: 'print a bearer token for one request to a gateway (for curl)',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() => parseArgs({ args: [...args], options: { key: { type: 'string' }, aud: { type: 'string', default: DEFAULT_AUDIENCE }, oin: { type: 'string' } }, strict: true }));
    if (values.key === undefined) throw new UsageError('--key JWK is required');
    if (!Oin.safeParse(values.aud).success) throw new UsageError('--aud must be an OIN (20 digits)');
    const privateJwk = readJsonFile(values.key);
    const keyOin = typeof privateJwk === 'object' && privateJwk !== null && 'oin' in privateJwk && typeof privateJwk.oin === 'string' ? privateJwk.oin : undefined;
    const oin = values.oin ?? keyOin;
    if (oin === undefined) throw new UsageError('the key file names no OIN; give --oin');
    io.stdout(`${await createBearerToken(await createSigner({ privateJwk, oin }), values.aud)}\n`);
    return EXIT.ok;
  },
};
