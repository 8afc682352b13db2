/**
 * `zicht init DIR --oin OIN [--db URL]`: everything a new gateway needs, in one folder: its signing key, its
 * log key, a KEK keyring, a registry holding the gateway itself (and a file of commented examples beside it),
 * the database (created and migrated), and zicht.json, so that `zicht serve --config DIR/zicht.json` runs it.
 * Never overwrites a file: a folder that holds any of them is refused.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLogKey, logOrigin, loadLogSigner } from '../../audit/log-key.js';
import { IoError, UsageError } from '../../errors.js';
import { Oin } from '../../model/primitives.js';
import type { DeelnemerInput } from '../../registry/deelnemer.js';
import type { GatewayConfigInput } from '../../server/config.js';
import { generateSigningKey } from '../../signing/generate.js';
import { Keyring } from '../../store/keyring.js';
import { openStore } from '../../store/open.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht init DIR --oin OIN [--db URL] [--naam NAME] [--port 8080] [--host 127.0.0.1]

Makes a new gateway in DIR (created if missing; refused if it holds any of the files below):

  gateway.jwk.json        the gateway's private signing key (ES256, with its "oin"), mode 0600
  log.key                 the key that signs the audit log's checkpoints, mode 0600
  kek.json                the keyring of key-encryption keys for payloads at rest, mode 0600
  registry.json           the registry, holding the gateway's own entry; add the participants here
  registry.examples.jsonc an example entry per role, with comments (JSON has none: keep them apart)
  zicht.json              the configuration (docs/configuration.md; JSON Schema GatewayConfig)

and creates the database (default DIR/zicht.db; --db postgres://… for PostgreSQL). Then:

  zicht serve --config DIR/zicht.json

  --oin OIN     the gateway's OIN (20 digits)
  --db URL      the database: a SQLite file or postgres://user@host/db (default zicht.db in DIR)
  --naam NAME   the gateway's name in the registry (default "Zicht gateway")
  --port, --host  where the API listens (default 8080 on 127.0.0.1)

Keep the three keys secret and backed up apart from the database (docs/operations.md).
`;

/** The files init writes, by role. */
const FILES = {
  key: 'gateway.jwk.json',
  logKey: 'log.key',
  kek: 'kek.json',
  registry: 'registry.json',
  examples: 'registry.examples.jsonc',
  config: 'zicht.json',
} as const;

/** Example entries for the registry, one per role a gateway serves, explained line by line. */
const EXAMPLES = `// Example participants for registry.json (docs/configuration.md, "Registry file"). JSON has no comments:
// copy an entry without its // lines into the "deelnemers" list of registry.json. Every entry is checked
// at start (CFG-001); a refusal names the entry, the field and the rule. OINs, keys and URLs below are
// examples: use the participant's own.
{
  "zichtRegistry": 1,
  "deelnemers": [
    // A Veilig Thuis organisation: sends handovers (overdrachten) for its region (vtRegio), receives receipts.
    {
      "oin": "00000004000000010001",
      "rol": "vt",
      "naam": "Veilig Thuis Zuid-Limburg",
      "vtRegio": "zuid-limburg",
      "status": "actief",
      // Its public signing keys: kid is the key's RFC 7638 thumbprint ('zicht keys generate --oin OIN' writes both).
      "sleutels": [],
      // Where the gateway pushes berichten for it; without one it reads its postbus (GET /v1/postbus).
      "afleveradressen": [{ "url": "https://vt.example.nl/zicht/v1", "kanaal": "zicht-v1" }]
    },
    // A gemeente's lokaal team: receives handovers for the gemeenten it serves (CBS codes).
    {
      "oin": "00000001000000009350",
      "rol": "lokaal-team",
      "naam": "Lokaal team Maastricht",
      "gemeentecodes": ["GM0935"],
      // The region profile that governs its handovers (spec/v1/profiles/); default landelijk-minimum.
      "profiel": "zuid-limburg",
      "status": "actief",
      "sleutels": [],
      // A private address (10.x, 192.168.x, 127.x, localhost) needs --allow-private-endpoints (CFG-004).
      "afleveradressen": [{ "url": "https://teams.maastricht.example.nl/zicht/v1", "kanaal": "zicht-v1" }]
    },
    // An auditor (e.g. the inspectorate): reads the audit log and the dossiers' trail, never content.
    { "oin": "00000001003214345000", "rol": "auditor", "naam": "Inspectie Gezondheidszorg en Jeugd", "status": "actief", "sleutels": [] },
    // An operator (beheerder) of this gateway: uses the console, sends no berichten, sees no content.
    { "oin": "00000001821699180000", "rol": "operator", "naam": "Beheer Zicht Zuid-Limburg", "status": "actief", "sleutels": [] }
  ]
}
`;

function write(path: string, text: string, mode: number): void {
  try {
    writeFileSync(path, text, { flag: 'wx', mode });
  } catch (error) {
    throw new IoError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

export const initCommand: Command = {
  name: 'init',
  summary: 'make a new gateway: keys, KEK keyring, registry, database and zicht.json',
  usage,
  async run(args, io) {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: { oin: { type: 'string' }, db: { type: 'string' }, naam: { type: 'string', default: 'Zicht gateway' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } },
        allowPositionals: true,
        strict: true,
      }),
    );
    const [dirArg, ...extra] = positionals;
    if (dirArg === undefined || extra.length > 0) throw new UsageError('give one folder: zicht init DIR --oin OIN');
    if (values.oin === undefined || !Oin.safeParse(values.oin).success) throw new UsageError('--oin must be the gateway\'s OIN of 20 digits');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0 to 65535');
    const dir = resolve(dirArg);
    const taken = Object.values(FILES).filter((name) => existsSync(join(dir, name)));
    if (taken.length > 0) throw new IoError(`${dir} already holds ${taken.join(', ')}; init never overwrites keys or configuration`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new IoError(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
    }

    // The database first: when it cannot be reached, nothing is written.
    const db = values.db ?? 'zicht.db';
    const store = await openStore(/^[a-z][a-z0-9+.-]*:/i.test(db) ? db : resolve(dir, db));
    await store.close();

    const oin = values.oin;
    const key = await generateSigningKey();
    const logKey = generateLogKey(logOrigin(oin));
    const self: DeelnemerInput = { oin, rol: 'gateway', naam: values.naam, status: 'actief', sleutels: [{ kid: key.kid, jwk: key.publicJwk }] };
    const config: GatewayConfigInput = {
      port,
      host: values.host,
      db,
      registry: FILES.registry,
      key: FILES.key,
      logKey: FILES.logKey,
      kekFile: FILES.kek,
      rateLimit: 200,
      allowPrivateEndpoints: false,
    };
    write(join(dir, FILES.key), `${JSON.stringify({ ...key.privateJwk, oin }, null, 2)}\n`, 0o600);
    write(join(dir, FILES.logKey), `${logKey}\n`, 0o600);
    write(join(dir, FILES.kek), Keyring.generate(`kek-${new Date().toISOString().slice(0, 10)}`).exportText(), 0o600);
    write(join(dir, FILES.registry), `${JSON.stringify({ zichtRegistry: 1, deelnemers: [self] }, null, 2)}\n`, 0o644);
    write(join(dir, FILES.examples), EXAMPLES, 0o644);
    write(join(dir, FILES.config), `${JSON.stringify(config, null, 2)}\n`, 0o644);
    io.stdout(
      `made gateway ${oin} in ${dir}:\n${Object.values(FILES).map((name) => `  ${name}`).join('\n')}\n` +
        `database: ${/^postgres/i.test(db) ? 'PostgreSQL' : resolve(dir, db)} (created)\n` +
        `log verifier key (publish it to auditors): ${loadLogSigner(logKey).vkey}\n\n` +
        `add the participants to ${join(dir, FILES.registry)} (see ${FILES.examples}), then run:\n  zicht serve --config ${join(dir, FILES.config)}\n`,
    );
    return EXIT.ok;
  },
};
