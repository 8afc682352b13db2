/**
 * A throwaway PKI for mTLS tests, made with the openssl binary: a CA, a server certificate for
 * 127.0.0.1, client certificates carrying an OIN as Subject serialNumber (as PKIoverheid does),
 * and a second CA whose certificates the gateway must refuse.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  readonly ca: string;
  readonly server: Pem;
  client(oin: string): Pem;
  /** A client certificate for `oin` from another CA. */
  foreignClient(oin: string): Pem;
  /** A server certificate from the test CA for another name than 127.0.0.1 (`subjectAltName`, e.g. `DNS:other.example`). */
  serverFor(subjectAltName: string): Pem;
  /** A self-signed server certificate for 127.0.0.1 (no CA vouches for it). */
  selfSigned(): Pem;
  /** The PKI's scratch directory (for files a test writes, e.g. a CA bundle). */
  dirOf(): string;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-pki-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

  const makeCa = (name: string) => openssl('req', '-x509', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`), '-subj', `/CN=${name}`, '-days', '2');
  makeCa('zicht-test-ca');
  makeCa('other-ca');

  let n = 0;
  const issue = (ca: string, subject: string, ext?: string): Pem => {
    const name = `cert${++n}`;
    openssl('req', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    const extArgs: string[] = [];
    if (ext !== undefined) {
      writeFileSync(file(`${name}.ext`), ext);
      extArgs.push('-extfile', file(`${name}.ext`));
    }
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${ca}.crt`), '-CAkey', file(`${ca}.key`), '-CAcreateserial', '-out', file(`${name}.crt`), '-days', '2', ...extArgs);
    return { key: readFileSync(file(`${name}.key`), 'utf8'), cert: readFileSync(file(`${name}.crt`), 'utf8') };
  };

  return {
    ca: readFileSync(file('zicht-test-ca.crt'), 'utf8'),
    server: issue('zicht-test-ca', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
    client: (oin) => issue('zicht-test-ca', `/CN=participant/serialNumber=${oin}`, 'extendedKeyUsage=clientAuth\n'),
    foreignClient: (oin) => issue('other-ca', `/CN=participant/serialNumber=${oin}`, 'extendedKeyUsage=clientAuth\n'),
    serverFor: (subjectAltName) => issue('zicht-test-ca', '/CN=receiver', `subjectAltName=${subjectAltName}\nextendedKeyUsage=serverAuth\n`),
    dirOf: () => dir,
    selfSigned: () => {
      const name = `self${++n}`;
      openssl('req', '-x509', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2');
      return { key: readFileSync(file(`${name}.key`), 'utf8'), cert: readFileSync(file(`${name}.crt`), 'utf8') };
    },
  };
}
