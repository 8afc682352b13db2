/**
 * Starting and stopping an HTTP listener (@hono/node-server) the way an operator needs it: a failure to listen
 * (a port in use) is a `ListenError` with one clear line rather than an unhandled 'error' event and a stack
 * trace, and a stop drains the requests in flight (no new connections, idle ones closed, running ones
 * answered) before any connection is cut.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { ListenError } from '../errors.js';

/** How long a stop waits for requests in flight before it cuts their connections (ms). */
export const DEFAULT_DRAIN_MS = 10_000;

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is in use (another process listens on it)',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s',
  EACCES: 'the port needs privileges this process does not have',
  ENOTFOUND: 'the host name does not resolve',
};

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** `host:port` as it appears in a URL (IPv6 in brackets). */
function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Listens with `serve(options)` and resolves with the server once it listens.
 *
 * @throws {ListenError} naming the address and the reason (`EADDRINUSE`: the port is in use) when it cannot.
 */
export function listenOn(options: Parameters<typeof serve>[0] & { readonly port: number; readonly hostname: string }): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server: ServerType = serve(options, () => {
      server.off('error', onError);
      resolve(server);
    });
    function onError(error: unknown): void {
      const code = codeOf(error);
      server.close(() => undefined);
      reject(new ListenError(`cannot listen on ${hostPort(options.hostname, options.port)}: ${(code === undefined ? undefined : REASONS[code]) ?? 'the system refused'}${code === undefined ? '' : ` (${code})`}`, code));
    }
    server.once('error', onError);
  });
}

/** The URL a listening server is reached at. */
export function urlOf(server: ServerType, scheme: 'http' | 'https' = 'http'): string {
  const address = server.address() as AddressInfo;
  return `${scheme}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/**
 * Stops a server: it takes no new connections, idle keep-alive connections are closed (now and whenever one
 * becomes idle), requests in flight are answered; after `graceMs` the connections still open are cut.
 * Resolves once the server has closed.
 */
export function drain(server: ServerType, graceMs: number = DEFAULT_DRAIN_MS): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const closeIdle = () => { if ('closeIdleConnections' in server) server.closeIdleConnections(); };
    const idle = setInterval(closeIdle, 25);
    const cut = setTimeout(() => { if ('closeAllConnections' in server) server.closeAllConnections(); }, graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    closeIdle();
  });
}
