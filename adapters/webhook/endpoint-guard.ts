/**
 * Where the gateway may push to: only the registered endpoint (undici follows no redirect; a 3xx is a
 * refusal), and never an address in a private, loopback, link-local or otherwise non-public range
 * unless the operator allows it (a gateway on Diginetwerk, the demo and the tests on localhost). The
 * check runs on the address the connection actually goes to, after DNS, so a name that resolves to
 * 127.0.0.1 or 169.254.169.254 (DNS rebinding, cloud metadata) is refused as well as the literal.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';

/** Address ranges that are not the public internet (RFC 6890 and friends). */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IPv4 or IPv6 literal) is outside the public internet; an IPv4-mapped IPv6 address is judged by its IPv4 part. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return NON_PUBLIC.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The error a refused endpoint fails with; its code becomes the delivery's retry code. */
export class EndpointNotAllowedError extends Error {
  readonly code = 'ENDPOINT_NOT_PUBLIC';

  constructor() {
    super('The endpoint resolves to a non-public address, and private endpoints are not allowed.');
    this.name = 'EndpointNotAllowedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses names resolving to a non-public address. */
function publicLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, []);
      return;
    }
    if (addresses.length === 0 || addresses.some((a) => isNonPublicAddress(a.address))) {
      callback(new EndpointNotAllowedError(), []);
      return;
    }
    if (options.all === true) callback(null, addresses);
    else {
      const [first] = addresses;
      callback(null, first?.address ?? '', first?.family);
    }
  });
}

/**
 * The dispatcher deliveries go through. With `allowPrivate` false, connections to non-public addresses
 * fail with `ENDPOINT_NOT_PUBLIC` (an IP literal before connecting, a name after its DNS answer).
 */
export function endpointDispatcher(options: { readonly allowPrivate: boolean }): Dispatcher {
  if (options.allowPrivate) return new Agent();
  const connector = buildConnector({ lookup: publicLookup });
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0 && isNonPublicAddress(host)) {
        callback(new EndpointNotAllowedError(), null);
        return;
      }
      connector(connectOptions, callback);
    },
  });
}
