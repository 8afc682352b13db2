/**
 * The ZGW adapter's configuration file (`zicht zgw --config FILE`), checked with zod as the gateway checks
 * `zicht.json` (CFG-003 for the shape; CFG-005 for a file it names that cannot be read; paths are relative to the
 * file's folder). A refusal names the file, the member and the rule, never a secret. It becomes a {@link ZgwConfig}:
 * the gemeente's signer from its private key file, and the participants' keys read from the gateway's published
 * key directory (zicht/client); and the adapter's links, opened from the SQLite file `store` names.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { gatewayKeyResolver } from '../../src/client/keys.js';
import { ConfigError, JsonError, StoreUnavailableError } from '../../src/errors.js';
import { parseStrictJson } from '../../src/json/strict-json.js';
import { Behandelaar } from '../../src/model/ontvangstbevestiging.js';
import { Betrokkenenrol } from '../../src/model/persoon.js';
import { Gemeentecode, Oin } from '../../src/model/primitives.js';
import { createSigner } from '../../src/signing/signer.js';
import type { ZgwConfig } from './config.js';
import { sqliteZaakLinks, type SqliteZaakLinks } from './links-sqlite.js';

/** The links' file when the configuration names none, in the configuration file's folder. */
export const DEFAULT_STORE = 'zgw-links.sqlite';

const HttpUrl = z.url({ protocol: /^https?$/ }).max(1000);

/** The file's members (docs: adapters/zgw/README.md "Running it"). */
export const ZgwConfigFile = z
  .strictObject({
    /** Where the adapter listens: the gateway pushes to `http://{host}:{port}/berichten`, the Notificaties API calls `/notificaties`. */
    listen: z.strictObject({ host: z.string().min(1).max(255).default('127.0.0.1'), port: z.number().int().min(0).max(65_535) }),
    gemeente: z.strictObject({
      oin: Oin,
      rol: z.enum(['lokaal-team', 'gemeente']),
      /** The private signing JWK (zicht keys generate), whose public key is in the gemeente's registry entry. */
      key: z.string().min(1).max(4096),
      gemeentecodes: z.array(Gemeentecode).min(1).max(400),
    }),
    gateway: z.strictObject({ url: HttpUrl, oin: Oin }),
    zgw: z
      .strictObject({
        clientId: z.string().min(1).max(200),
        /** The shared secret of the ZGW application, or `secretFile`: a file holding it (mode 0600). */
        secret: z.string().min(1).max(4096).optional(),
        secretFile: z.string().min(1).max(4096).optional(),
        zaken: HttpUrl,
        documenten: HttpUrl,
      })
      .refine((zgw) => (zgw.secret === undefined) !== (zgw.secretFile === undefined), { message: 'give exactly one of secret and secretFile', path: ['secret'] }),
    rsin: z.string().regex(/^\d{9}$/, 'an RSIN is nine digits'),
    catalogus: z.strictObject({
      zaaktype: HttpUrl,
      informatieobjecttype: HttpUrl,
      roltypen: z.strictObject(Object.fromEntries(Betrokkenenrol.options.map((rol) => [rol, HttpUrl])) as Record<z.infer<typeof Betrokkenenrol>, typeof HttpUrl>),
      statustypeGeaccepteerd: HttpUrl,
    }),
    /** The `Authorization` value the Notificaties API's abonnement sends. */
    notificatieAuth: z.string().min(1).max(1000),
    behandelaar: Behandelaar,
    /** For a handover to two or more gemeenten: the OIN of the team the gemeenten agreed leads (VRW-001). */
    regie: Oin.optional(),
    /** Retries of a ZGW API or the gateway that is down (ms); the gateway's delivery policy by default. */
    retry: z.strictObject({ baseMs: z.number().int().min(1).max(3_600_000), maxDelayMs: z.number().int().min(1).max(86_400_000), windowMs: z.number().int().min(1).max(30 * 86_400_000) }).optional(),
    /** The SQLite file of the adapter's links (which zaak and receipts each handover has, the volgnummers): never memory, so a restart remembers them. */
    store: z.string().min(1).max(4096).default(DEFAULT_STORE),
  })
  .meta({ description: 'The configuration of the ZGW adapter (zicht zgw --config FILE).' });
export type ZgwConfigFile = z.infer<typeof ZgwConfigFile>;

const pathOf = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') || '(the file)';

function readText(file: string, member: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: ${member}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'CFG-005');
  }
}

/** What `zicht zgw` runs: the adapter's configuration, its links (the caller closes them) and where to listen. */
export interface LoadedZgwConfig {
  readonly config: ZgwConfig;
  readonly links: SqliteZaakLinks;
  readonly listen: { readonly host: string; readonly port: number };
}

/**
 * Reads and checks a configuration file.
 *
 * @throws {ConfigError} naming the file, the member and CFG-003 (shape, an unusable key) or CFG-005 (a file it names that cannot be
 * read, or a store that cannot be opened).
 */
export async function loadZgwConfig(file: string): Promise<LoadedZgwConfig> {
  let value: unknown;
  try {
    value = parseStrictJson(readText(file, '(the file)', file));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${file}: ${error instanceof JsonError ? error.message : 'not JSON'}`, 'CFG-003');
  }
  const parsed = ZgwConfigFile.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${file}: ${parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`).join('; ')}`, 'CFG-003');
  const c = parsed.data;
  const base = dirname(resolve(file));
  const at = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  let privateJwk: unknown;
  try {
    privateJwk = parseStrictJson(readText(file, 'gemeente.key', at(c.gemeente.key)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${file}: gemeente.key: not a JSON private key`, 'CFG-003');
  }
  const signer = await createSigner({ privateJwk, oin: c.gemeente.oin }).catch((error: unknown) => {
    throw new ConfigError(`${file}: gemeente.key: not a usable private signing key (${error instanceof Error && 'code' in error ? String(error.code) : 'invalid'})`, 'CFG-003');
  });
  const secret = c.zgw.secret ?? readText(file, 'zgw.secretFile', at(c.zgw.secretFile ?? '')).trim();
  const { regie } = c;
  // Opened last, so that a configuration refused for another member leaves no database open.
  const store = at(c.store);
  let links: SqliteZaakLinks;
  try {
    links = sqliteZaakLinks(store);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    throw new ConfigError(`${file}: store: cannot open ${store}: ${error.message}${error.driverCode === undefined ? '' : ` (${error.driverCode})`}`, 'CFG-005');
  }
  return {
    links,
    listen: { host: c.listen.host, port: c.listen.port },
    config: {
      gemeente: { oin: c.gemeente.oin, rol: c.gemeente.rol, signer, gemeentecodes: c.gemeente.gemeentecodes },
      gateway: { url: c.gateway.url.replace(/\/+$/, ''), oin: c.gateway.oin, keys: gatewayKeyResolver({ gatewayUrl: c.gateway.url, gatewayOin: c.gateway.oin }) },
      client: { clientId: c.zgw.clientId, secret },
      api: { zaken: c.zgw.zaken.replace(/\/+$/, ''), documenten: c.zgw.documenten.replace(/\/+$/, '') },
      rsin: c.rsin,
      catalogus: c.catalogus,
      notificatieAuth: c.notificatieAuth,
      behandelaar: c.behandelaar,
      ...(regie === undefined ? {} : { regie: () => regie }),
      ...(c.retry === undefined ? {} : { policy: c.retry }),
    },
  };
}
