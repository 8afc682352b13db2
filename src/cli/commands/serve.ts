/**
 * `zicht serve`: runs the gateway (HTTP API and delivery worker) until SIGINT or SIGTERM.
 */
import { parseCosignerKey } from '../../audit/cosignature.js';
import type { WitnessEndpoint } from '../../audit/witness-client.js';
import { parseArgs } from 'node:util';
import { UsageError, ZichtError } from '../../errors.js';
import { loadKeyring } from '../../store/keyring.js';
import { loadRegistryFile } from '../../registry/file.js';
import { createLog } from '../../observability/log.js';
import { startGateway } from '../../server/gateway.js';
import { createSigner } from '../../signing/signer.js';
import { loadLogSigner } from '../../audit/log-key.js';
import { RetentionPolicy } from '../../retention/policy.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { readFileOrFail, readJsonFile } from './sign.js';

const usage = `usage: zicht serve [--port 8080] [--host 127.0.0.1] [--db URL] --registry FILE --key JWK
                   [--tls-cert PEM --tls-key PEM --tls-ca PEM] [--rate-limit N] [--allow-private-endpoints]
                   [--log-key FILE] [--retention FILE] [--kek-file FILE | --insecure-plaintext]
                   [--metrics-port N [--metrics-host 127.0.0.1]]

Runs the Zicht gateway: the HTTP API under /v1 and the delivery worker.

  --db URL        a SQLite file (default ./zicht.db, or $DATABASE_URL) or postgres://user@host/db
  --registry FILE participants (JSON, see src/registry/file.ts), added to or replaced in the database's
                  registry at start; it must hold the gateway itself
  --key JWK       the gateway's private signing key (from 'zicht keys generate'); its "oin" names the gateway
  --tls-*         serve HTTPS and require client certificates issued by --tls-ca (mTLS)
  --rate-limit N  requests per second per participant, bursts of 10 N (default 200); over it: 429
  --allow-private-endpoints
                  deliver to registered endpoints at private, loopback or link-local addresses too (a
                  gateway inside Diginetwerk, local development); by default only public addresses
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
          port: { type: 'string', default: '8080' },
          host: { type: 'string', default: '127.0.0.1' },
          db: { type: 'string' },
          registry: { type: 'string' },
          key: { type: 'string' },
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
          'tls-ca': { type: 'string' },
          'rate-limit': { type: 'string', default: '200' },
          'allow-private-endpoints': { type: 'boolean', default: false },
          'log-key': { type: 'string' },
          retention: { type: 'string' },
          'kek-file': { type: 'string' },
          'insecure-plaintext': { type: 'boolean', default: false },
          'metrics-port': { type: 'string' },
          'metrics-host': { type: 'string', default: '127.0.0.1' },
          witness: { type: 'string', multiple: true },
        },
        strict: true,
      }),
    );
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0 to 65535');
    if (values.registry === undefined || values.key === undefined) throw new UsageError('--registry and --key are required');
    const rateLimit = Number(values['rate-limit']);
    if (!Number.isFinite(rateLimit) || rateLimit <= 0) throw new UsageError('--rate-limit must be a positive number of requests per second');
    const tlsFiles = [values['tls-cert'], values['tls-key'], values['tls-ca']];
    const tlsCount = tlsFiles.filter((f) => f !== undefined).length;
    if (tlsCount !== 0 && tlsCount !== 3) throw new UsageError('give all of --tls-cert, --tls-key and --tls-ca, or none');

    const privateJwk = readJsonFile(values.key);
    const oin = typeof privateJwk === 'object' && privateJwk !== null && 'oin' in privateJwk && typeof privateJwk.oin === 'string' ? privateJwk.oin : undefined;
    if (oin === undefined) throw new UsageError('the key file names no OIN ("oin" member)');
    const gateway = await createSigner({ privateJwk, oin });
    const registry = await loadRegistryFile(values.registry);
    if ((await registry.get(oin))?.rol !== 'gateway') throw new UsageError('the registry has no participant with role gateway for the key\'s OIN');

    const [cert, key, ca] = tlsFiles;
    const tls = cert !== undefined && key !== undefined && ca !== undefined ? { cert: readFileOrFail(cert).toString('utf8'), key: readFileOrFail(key).toString('utf8'), ca: readFileOrFail(ca).toString('utf8') } : undefined;
    const db = values.db ?? process.env.DATABASE_URL;
    const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
    if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535)) throw new UsageError('--metrics-port must be 0 to 65535');
    const logKey = values['log-key'] === undefined ? undefined : loadLogSigner(readFileOrFail(values['log-key']).toString('utf8'));
    const retention = RetentionPolicy.safeParse(values.retention === undefined ? {} : readJsonFile(values.retention));
    if (!retention.success) throw new UsageError('--retention does not match the policy\'s schema (src/retention/policy.ts)');
    // Payloads at rest are encrypted (issue 11): no keyring, no gateway, unless plaintext is asked for by name.
    const keyring = loadKeyring(values['kek-file']);
    if (keyring !== undefined && values['insecure-plaintext']) throw new UsageError('give a keyring or --insecure-plaintext, not both');
    if (keyring === undefined && !values['insecure-plaintext']) throw new UsageError('no keyring for the payloads at rest: give --kek-file FILE (from \'zicht kek generate --out FILE\'), $ZICHT_KEK_FILE or $ZICHT_KEK; --insecure-plaintext stores payloads unencrypted (throw-away data only)');
    if (keyring === undefined) io.stderr('WARNING: --insecure-plaintext: payloads are stored UNENCRYPTED in the database; never use this with real data\n');
    const witnesses = (values.witness ?? []).map(witnessEndpoint);
    const running = await startGateway({ witnesses, retention: retention.data, ...(keyring ? { keyring } : {}), registry, persistRegistry: true, gateway, port, hostname: values.host, rateLimit, allowPrivateEndpoints: values['allow-private-endpoints'], log: createLog(), ...(db === undefined ? {} : { db }), ...(tls ? { tls } : {}), ...(logKey ? { logKey } : {}), ...(metricsPort === undefined ? {} : { metrics: { port: metricsPort, hostname: values['metrics-host'] } }) });
    io.stdout(`zicht gateway listening at ${running.url} (store: ${running.store.backend})\n`);
    if (running.metricsUrl !== undefined) io.stdout(`metrics at ${running.metricsUrl}/metrics\n`);
    // SIGHUP: re-read the keyring (a new current KEK); a malformed one is reported and the old one kept.
    const reload = () => {
      try {
        const next = loadKeyring(values['kek-file']);
        if (keyring && next) keyring.reload(next);
        io.stderr(`keyring reloaded: current KEK ${keyring?.currentId ?? '(none)'}\n`);
      } catch (error) {
        io.stderr(`keyring not reloaded: ${error instanceof ZichtError ? error.code : 'unknown error'}\n`);
      }
    };
    process.on('SIGHUP', reload);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => { resolve(); });
      process.once('SIGTERM', () => { resolve(); });
    });
    process.off('SIGHUP', reload);
    await running.close();
    return EXIT.ok;
  },
};
