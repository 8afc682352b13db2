/**
 * `zicht serve`: runs the gateway (HTTP API and delivery worker) until SIGINT or SIGTERM.
 */
import { parseCosignerKey } from '../../audit/cosignature.js';
import type { WitnessEndpoint } from '../../audit/witness-client.js';
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, UsageError, ZichtError } from '../../errors.js';
import { loadGatewayConfig, refusePrivateEndpoints } from '../../server/config.js';
import { loadKeyring } from '../../store/keyring.js';
import { loadRegistryFile } from '../../registry/file.js';
import { createLog } from '../../observability/log.js';
import { startGateway } from '../../server/gateway.js';
import { createSigner } from '../../signing/signer.js';
import { clockPolicy, type ClockPolicy } from '../../signing/clock.js';
import { loadLogSigner } from '../../audit/log-key.js';
import { RetentionPolicy } from '../../retention/policy.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readFileOrFail, readJsonFile } from './sign.js';

const usage = `usage: zicht serve --config DIR/zicht.json [flags to override it]
       zicht serve [--port 8080] [--host 127.0.0.1] [--db URL] --registry FILE --key JWK
                   [--tls-cert PEM --tls-key PEM --tls-ca PEM] [--rate-limit N] [--allow-private-endpoints]
                   [--log-key FILE] [--retention FILE] [--kek-file FILE | --insecure-plaintext]
                   [--metrics-port N [--metrics-host 127.0.0.1]] [--clock-skew SECONDS]

Runs the Zicht gateway: the HTTP API under /v1 and the delivery worker.

  --config FILE   the configuration file 'zicht init DIR --oin OIN' writes (docs/configuration.md); paths in it
                  are relative to its folder; a flag given here overrides its member
  --db URL        a SQLite file (default ./zicht.db, or $DATABASE_URL; with --config: zicht.db beside it) or
                  postgres://user@host/db
  --registry FILE participants (JSON; format and JSON Schema in docs/configuration.md), added to or replaced in
                  the database's registry at start; it must hold the gateway itself with its key (CFG-002)
  --key JWK       the gateway's private signing key (from 'zicht keys generate'); its "oin" names the gateway
  --tls-*         serve HTTPS and require client certificates issued by --tls-ca (mTLS)
  --rate-limit N  requests per second per participant, bursts of 10 N (default 200); over it: 429
  --allow-private-endpoints
                  deliver to registered endpoints at private, loopback or link-local addresses too (a
                  gateway inside Diginetwerk, local development); without it such an endpoint in the
                  registry is refused at start (CFG-004)
  --log-key FILE  the key that signs the audit log's checkpoints (from 'zicht audit keygen'); default: derived
                  from --key, so a new gateway key means a new log key. Published at GET /v1/log/key.
  --retention FILE
                  the retention policy (JSON, src/retention/policy.ts; defaults in docs/retention.md): payloads
                  are purged on a schedule (every 10 minutes) once their retention ran out

  --kek-file FILE the key-encryption keys of payloads at rest (from 'zicht kek generate'; default: the file
                  $ZICHT_KEK_FILE, else the keyring text in $ZICHT_KEK). Payloads are encrypted with AES-256-GCM
                  under a data key per bericht wrapped by the current KEK. Without a keyring the gateway
                  does not start (exit 2). SIGHUP re-reads the keyring: a KEK rotation without downtime;
                  older payloads are re-wrapped in the background.
  --insecure-plaintext
                  start without a keyring and store payloads UNENCRYPTED (development against a database
                  of throw-away data only; a warning says so at every start)

  --witness URL,VKEY
                  a witness (zicht witness serve) to cosign each new checkpoint (C2SP tlog-witness), with its
                  cosigner key; repeatable. GET /v1/log/checkpoint serves the checkpoint with the cosignatures.

  --clock-skew SECONDS
                  how far a sender's iat may lie ahead of the gateway's clock (default 300, SIG-007); the gateway
                  judges every key at its own clock at receipt (spec/v1/time-and-keys.md)

  --metrics-port N
                  serve GET /metrics (Prometheus) on this port, on --metrics-host (default 127.0.0.1):
                  a listener of its own for the monitoring network, not on the API's port

Without --tls-* the gateway serves plain HTTP with bearer tokens (demo and development only).
Deliveries over HTTPS check the receiver's certificate against Node's CA bundle; to trust another CA
(e.g. PKIoverheid's private-services root on Diginetwerk) start with NODE_EXTRA_CA_CERTS=FILE.
Logs are JSON lines on stderr: requests, deliveries and internal errors, never bericht content.
`;

/** `URL,VKEY`: a witness's submission prefix and its cosigner key (zicht witness keygen prints it). */
function witnessEndpoint(value: string): WitnessEndpoint {
  const comma = value.indexOf(',');
  try {
    return { url: new URL(value.slice(0, comma)).toString(), key: parseCosignerKey(value.slice(comma + 1)) };
  } catch {
    throw new UsageError('--witness is URL,VKEY: the witness\'s submission prefix and its cosigner key (name+keyid+base64(0x04 || key))');
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the gateway (HTTP API and delivery)',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: {
          config: { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          db: { type: 'string' },
          registry: { type: 'string' },
          key: { type: 'string' },
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
          'tls-ca': { type: 'string' },
          'rate-limit': { type: 'string' },
          'allow-private-endpoints': { type: 'boolean' },
          'log-key': { type: 'string' },
          retention: { type: 'string' },
          'kek-file': { type: 'string' },
          'insecure-plaintext': { type: 'boolean', default: false },
          'metrics-port': { type: 'string' },
          'metrics-host': { type: 'string' },
          witness: { type: 'string', multiple: true },
          'clock-skew': { type: 'string' },
        },
        strict: true,
      }),
    );
    // The configuration file (zicht init), its paths made absolute; every flag given overrides its member.
    const config = values.config === undefined ? undefined : loadGatewayConfig(values.config);
    const port = Number(values.port ?? config?.port ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0 to 65535');
    const registryFile = values.registry ?? config?.registry;
    const keyFile = values.key ?? config?.key;
    if (registryFile === undefined || keyFile === undefined) throw new UsageError('--registry and --key are required (or --config FILE from zicht init)');
    const rateLimit = Number(values['rate-limit'] ?? config?.rateLimit ?? 200);
    if (!Number.isFinite(rateLimit) || rateLimit <= 0) throw new UsageError('--rate-limit must be a positive number of requests per second');
    const skew = values['clock-skew'] === undefined ? undefined : Number(values['clock-skew']);
    let clock: ClockPolicy | undefined;
    try {
      clock = skew === undefined ? undefined : clockPolicy({ skewSeconds: skew });
    } catch {
      throw new UsageError('--clock-skew must be 0 to 86400 whole seconds');
    }
    const tlsFlags = [values['tls-cert'], values['tls-key'], values['tls-ca']];
    const tlsCount = tlsFlags.filter((f) => f !== undefined).length;
    if (tlsCount !== 0 && tlsCount !== 3) throw new UsageError('give all of --tls-cert, --tls-key and --tls-ca, or none');
    const tlsFiles = tlsCount === 3 ? tlsFlags : [config?.tls?.cert, config?.tls?.key, config?.tls?.ca];
    const allowPrivateEndpoints = values['allow-private-endpoints'] ?? config?.allowPrivateEndpoints ?? false;

    const privateJwk = readJsonFile(keyFile);
    const oin = typeof privateJwk === 'object' && privateJwk !== null && 'oin' in privateJwk && typeof privateJwk.oin === 'string' ? privateJwk.oin : undefined;
    if (oin === undefined) throw new UsageError('the key file names no OIN ("oin" member)');
    const gateway = await createSigner({ privateJwk, oin });
    const registry = await loadRegistryFile(registryFile);
    const self = await registry.get(oin);
    if (self?.rol !== 'gateway' || self.status !== 'actief') throw new ConfigError(`${registryFile}: no active participant with role gateway and OIN ${oin} (the key's "oin")`, 'CFG-002');
    if (!self.sleutels.some((s) => s.kid === gateway.kid)) throw new ConfigError(`${registryFile}: participant ${oin}: sleutels: the gateway's signing key (kid ${gateway.kid}) is not among its keys`, 'CFG-002');
    refusePrivateEndpoints(await registry.list(), allowPrivateEndpoints);

    const [cert, key, ca] = tlsFiles;
    const tls = cert !== undefined && key !== undefined && ca !== undefined ? { cert: readFileOrFail(cert).toString('utf8'), key: readFileOrFail(key).toString('utf8'), ca: readFileOrFail(ca).toString('utf8') } : undefined;
    const db = values.db ?? config?.db ?? process.env.DATABASE_URL ?? (values.config === undefined ? undefined : join(dirname(resolve(values.config)), 'zicht.db'));
    const metricsPortText = values['metrics-port'] ?? config?.metrics?.port;
    const metricsPort = metricsPortText === undefined ? undefined : Number(metricsPortText);
    if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535)) throw new UsageError('--metrics-port must be 0 to 65535');
    const metricsHost = values['metrics-host'] ?? config?.metrics?.host ?? '127.0.0.1';
    const logKeyFile = values['log-key'] ?? config?.logKey;
    const logKey = logKeyFile === undefined ? undefined : loadLogSigner(readFileOrFail(logKeyFile).toString('utf8'));
    const retentionFile = values.retention ?? config?.retention;
    const retention = RetentionPolicy.safeParse(retentionFile === undefined ? {} : readJsonFile(retentionFile));
    if (!retention.success) throw new UsageError('--retention does not match the policy\'s schema (src/retention/policy.ts)');
    // Payloads at rest are encrypted (issue 11): no keyring, no gateway, unless plaintext is asked for by name.
    const kekFile = values['kek-file'] ?? config?.kekFile;
    const keyring = loadKeyring(kekFile);
    if (keyring !== undefined && values['insecure-plaintext']) throw new UsageError('give a keyring or --insecure-plaintext, not both');
    if (keyring === undefined && !values['insecure-plaintext']) throw new UsageError('no keyring for the payloads at rest: give --kek-file FILE (from \'zicht kek generate --out FILE\'), $ZICHT_KEK_FILE or $ZICHT_KEK; --insecure-plaintext stores payloads unencrypted (throw-away data only)');
    if (keyring === undefined) io.stderr('WARNING: --insecure-plaintext: payloads are stored UNENCRYPTED in the database; never use this with real data\n');
    const witnesses = (values.witness ?? []).map(witnessEndpoint);
    const running = await startGateway({ witnesses, retention: retention.data, ...(keyring ? { keyring } : {}), registry, persistRegistry: true, gateway, port, hostname: values.host ?? config?.host ?? '127.0.0.1', rateLimit, allowPrivateEndpoints, log: createLog(), ...(db === undefined ? {} : { db }), ...(tls ? { tls } : {}), ...(logKey ? { logKey } : {}), ...(metricsPort === undefined ? {} : { metrics: { port: metricsPort, hostname: metricsHost } }), ...(clock === undefined ? {} : { clock }) });
    io.stdout(`zicht gateway listening at ${running.url} (store: ${running.store.backend})\n`);
    if (running.metricsUrl !== undefined) io.stdout(`metrics at ${running.metricsUrl}/metrics\n`);
    // SIGHUP: re-read the keyring (a new current KEK); a malformed one is reported and the old one kept.
    const reload = () => {
      try {
        const next = loadKeyring(kekFile);
        if (keyring && next) keyring.reload(next);
        io.stderr(`keyring reloaded: current KEK ${keyring?.currentId ?? '(none)'}\n`);
      } catch (error) {
        io.stderr(`keyring not reloaded: ${error instanceof ZichtError ? error.code : 'unknown error'}\n`);
      }
    };
    process.on('SIGHUP', reload);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => { resolve('SIGINT'); });
      process.once('SIGTERM', () => { resolve('SIGTERM'); });
    });
    process.off('SIGHUP', reload);
    // A clean stop (exit 0, which systemd logs as a stop, not a failure): requests in flight answered, the
    // workers stopped, the store closed. A second signal now ends the process at once (Node's default).
    io.stderr(`${signal}: stopping: requests in flight are answered, then the store is closed\n`);
    await running.close();
    io.stderr('stopped\n');
    return EXIT.ok;
  },
};
