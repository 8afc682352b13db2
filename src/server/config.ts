/**
 * The gateway's configuration file (`zicht.json`, written by `zicht init`, read by `zicht serve --config`): the
 * zod model is the single source of truth; its JSON Schema is published as spec/v1/schemas/GatewayConfig.schema.json
 * and docs/configuration.md describes each member. Every refusal names the file, the member and the rule
 * (CFG-003 for the shape, CFG-005 for a file it names that cannot be read). Paths are relative to the file's folder.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import { isNonPublicAddress } from '../../adapters/webhook/endpoint-guard.js';
import { ConfigError } from '../errors.js';
import type { Deelnemer } from '../registry/deelnemer.js';

const Path = z.string().min(1).max(4096);
const Port = z.int().min(0).max(65_535);

/** `zicht.json`: how `zicht serve --config FILE` runs a gateway. Flags on the command line override each member. */
export const GatewayConfig = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema of this file, for editors; ignored by the gateway.' }),
    port: Port.default(8080).meta({ description: 'The port of the HTTP API (--port).' }),
    host: z.string().min(1).max(255).default('127.0.0.1').meta({ description: 'The address the API listens on (--host).' }),
    db: z.string().min(1).max(4096).optional().meta({ description: 'The database (--db): a SQLite file (relative to this file\'s folder) or postgres://user@host/db. Default: $DATABASE_URL, else zicht.db beside this file.' }),
    registry: Path.meta({ description: 'The registry file (--registry): the participants, the gateway itself among them (CFG-001, CFG-002).' }),
    key: Path.meta({ description: 'The gateway\'s private signing key, a JWK with its "oin" (--key).' }),
    logKey: Path.optional().meta({ description: 'The key that signs the audit log\'s checkpoints (--log-key); default: derived from key.' }),
    kekFile: Path.optional().meta({ description: 'The keyring of key-encryption keys for payloads at rest (--kek-file); default $ZICHT_KEK_FILE, else $ZICHT_KEK.' }),
    retention: Path.optional().meta({ description: 'The retention policy (--retention); default docs/retention.md.' }),
    rateLimit: z.number().positive().max(1_000_000).default(200).meta({ description: 'Requests per second per participant, bursts of ten times that (--rate-limit).' }),
    allowPrivateEndpoints: z.boolean().default(false).meta({ description: 'Deliver to endpoints at loopback, private or link-local addresses (--allow-private-endpoints); without it such an endpoint is refused at start (CFG-004).' }),
    tls: z
      .strictObject({ cert: Path, key: Path, ca: Path })
      .optional()
      .meta({ description: 'Serve HTTPS and require client certificates issued by ca (mTLS) (--tls-cert, --tls-key, --tls-ca).' }),
    metrics: z
      .strictObject({ port: Port, host: z.string().min(1).max(255).default('127.0.0.1') })
      .optional()
      .meta({ description: 'Serve GET /metrics on a listener of its own (--metrics-port, --metrics-host).' }),
  })
  .meta({ description: 'The configuration of a Zicht gateway (zicht serve --config FILE). Paths are relative to this file\'s folder.' });
export type GatewayConfig = z.output<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;

/** The members that name files, with the flag each stands for. */
const FILE_MEMBERS = ['registry', 'key', 'logKey', 'kekFile', 'retention'] as const;

function readable(file: string, where: string, path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new ConfigError(`${file}: ${where}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'CFG-005');
  }
}

/** A zod issue's path as `a.b[0]`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(the file)';
}

/**
 * Reads and checks a configuration file; every path in it made absolute (relative to the file's folder), every
 * file it names checked readable.
 *
 * @throws {ConfigError} naming the file, the member and CFG-003 (shape) or CFG-005 (a file that cannot be read).
 */
export function loadGatewayConfig(file: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'CFG-005');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file}: not JSON`, 'CFG-003');
  }
  const parsed = GatewayConfig.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${file}: ${parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`).join('; ')}`, 'CFG-003');
  }
  const base = dirname(resolve(file));
  const at = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const config: GatewayConfig = { ...parsed.data };
  for (const member of FILE_MEMBERS) {
    const path = config[member];
    if (path !== undefined) {
      config[member] = at(path);
      readable(file, member, config[member]);
    }
  }
  if (config.tls !== undefined) {
    const tls = { cert: at(config.tls.cert), key: at(config.tls.key), ca: at(config.tls.ca) };
    for (const [member, path] of Object.entries(tls)) readable(file, `tls.${member}`, path);
    config.tls = tls;
  }
  // A SQLite file is relative to the configuration too; a postgres:// or file: URL is taken as it is.
  if (config.db !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(config.db)) config.db = at(config.db);
  return config;
}

/** The host of an endpoint URL when it is a loopback, private or link-local address, or a localhost name. */
function nonPublicHost(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return bare;
  return isIP(bare) !== 0 && isNonPublicAddress(bare) ? bare : undefined;
}

/**
 * CFG-004: refuses, at start, a participant's delivery endpoint at a loopback, private or link-local address
 * unless private endpoints are allowed. Before, such an endpoint only made every delivery retry, logged as one
 * JSON line. Names that resolve to such addresses are still refused at delivery (adapters/webhook/endpoint-guard.ts).
 *
 * @throws {ConfigError} naming the entry (OIN), the field, the host and the flag that allows it.
 */
export function refusePrivateEndpoints(deelnemers: readonly Pick<Deelnemer, 'oin' | 'afleveradressen'>[], allowPrivateEndpoints: boolean): void {
  if (allowPrivateEndpoints) return;
  for (const deelnemer of deelnemers) {
    for (const [index, adres] of deelnemer.afleveradressen.entries()) {
      const host = nonPublicHost(adres.url);
      if (host !== undefined) {
        throw new ConfigError(
          `participant ${deelnemer.oin}: afleveradressen[${index}].url: ${host} is a loopback, private or link-local address; deliveries there are refused unless the gateway runs with --allow-private-endpoints (allowPrivateEndpoints: true in zicht.json)`,
          'CFG-004',
        );
      }
    }
  }
}
