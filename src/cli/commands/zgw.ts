/**
 * `zicht zgw --config FILE`: runs the ZGW adapter (adapters/zgw/) as a process: the gemeente's Zicht receiver
 * whose handovers become zaken in its ZGW APIs, answered with the automatic `ontvangen` (AFL-005), and whose
 * status "geaccepteerd" becomes a signed acceptance. Logs JSON lines on stderr (codes and ids, never content).
 * It remembers its links (which zaak and receipts each handover has, the volgnummers) in the SQLite file the
 * configuration's `store` names, so a restart makes no second zaak or receipt (AFL-006, Q98).
 * Exit 0 on SIGINT/SIGTERM, 2 when the configuration is refused (file, member and rule) or it cannot listen.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { createZgwAdapter } from '../../../adapters/zgw/adapter.js';
import { loadZgwConfig } from '../../../adapters/zgw/config-file.js';
import { ListenError, UsageError } from '../../errors.js';
import { createLog } from '../../observability/log.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht zgw --config FILE

Runs the ZGW adapter for one gemeente (adapters/zgw/README.md): the gateway pushes berichten to
http://HOST:PORT/berichten (register that URL, without /berichten, as the gemeente's afleveradres, kanaal
zicht-v1); a handover becomes a zaak in the gemeente's Zaken and Documenten APIs and is answered with a
signed ontvangstbevestiging ontvangen (AFL-005); the Notificaties API calls http://HOST:PORT/notificaties,
and a status of the configured statustype becomes a signed ontvangstbevestiging geaccepteerd. Which zaak and
receipts each handover has is kept in the SQLite file the member store names (default zgw-links.sqlite
next to the configuration), so a restart makes no second zaak or receipt.

  --config FILE   the adapter's configuration (JSON; members in adapters/zgw/README.md): listen, gemeente
                  (oin, rol, key, gemeentecodes), gateway (url, oin), zgw (clientId, secret or secretFile,
                  zaken, documenten), rsin, catalogus, notificatieAuth, behandelaar, regie, retry, store

Exit: 0 stopped (SIGINT or SIGTERM), 2 the configuration is refused (the file, the member and CFG-003 or
CFG-005) or the port cannot be used.
`;

export const zgwCommand: Command = {
  name: 'zgw',
  summary: 'run the ZGW adapter: a gemeente\'s handovers become zaken in its ZGW APIs',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() => parseArgs({ args: [...args], options: { config: { type: 'string' } }, strict: true }));
    if (values.config === undefined) throw new UsageError('--config FILE is required');
    const { config, links, listen } = await loadZgwConfig(values.config);
    const adapter = createZgwAdapter(config, { links, log: createLog() });
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s: ServerType = serve({ fetch: adapter.app.fetch, port: listen.port, hostname: listen.host }, () => { resolve(s); });
      s.once('error', (error: NodeJS.ErrnoException) => { reject(new ListenError(`cannot listen on ${listen.host}:${String(listen.port)} (${error.code ?? 'unknown error'})`, error.code)); });
    }).catch((error: unknown) => {
      adapter.close();
      links.close();
      throw error;
    });
    const { port } = server.address() as AddressInfo;
    io.stdout(`ZGW adapter for ${config.gemeente.oin} (${config.gemeente.gemeentecodes.join(', ')}) at http://${listen.host}:${String(port)} (pushes to /berichten, notifications to /notificaties; gateway ${config.gateway.url}) ready\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => { resolve(); });
      process.once('SIGTERM', () => { resolve(); });
    });
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); if ('closeAllConnections' in server) server.closeAllConnections(); });
    await adapter.idle();
    adapter.close();
    links.close();
    return EXIT.ok;
  },
};
