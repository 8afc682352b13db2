/**
 * Verifying an audit bundle in the browser (WebCrypto: Ed25519 and SHA-256), so that an auditor does not have
 * to trust the gateway that serves the page: a port of src/audit/bundle.ts `verifyBundle` with the note,
 * checkpoint and RFC 9162 inclusion-proof code it uses (src/audit/note.ts, checkpoint.ts, verify.ts).
 *
 * {@link checkBundle} is self-contained on purpose: the console serves its source text (`Function.toString`)
 * as the page's script, so it may use only globals a browser has (crypto.subtle, atob, TextEncoder, BigInt)
 * and nothing imported. The same function runs in Node in the tests, against `verifyBundle`'s findings.
 * Not ported: the consistency check against an earlier checkpoint (`zicht audit verify --earlier`).
 */

/** One problem found; `kind` is that of src/audit/bundle.ts. */
export interface BundleFinding {
  readonly kind: string;
  readonly index?: number;
  readonly message: string;
}

/** The outcome of a check in the browser. */
export interface BundleCheck {
  readonly ok: boolean;
  readonly findings: readonly BundleFinding[];
  /** The verifier key used: the trusted one given, or else the bundle's own (to compare with the published key). */
  readonly key: string;
  readonly keyFromBundle: boolean;
  readonly size?: string;
  readonly entries: number;
}

/**
 * Checks an audit bundle (the JSON text `zicht audit export` writes) against `trustedKey` (a note verifier key
 * `name+keyid+base64`), or against the key in the bundle when none is given.
 */
export async function checkBundle(bundleText: string, trustedKey?: string): Promise<BundleCheck> {
  const subtle = globalThis.crypto.subtle;
  const enc = new TextEncoder();
  const fail = (kind: string, message: string, key = '', keyFromBundle = false): BundleCheck => ({ ok: false, findings: [{ kind, message }], key, keyFromBundle, entries: 0 });
  const b64 = (text: string): Uint8Array | undefined => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
    const raw = atob(text);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) out[i] = raw.charCodeAt(i);
    return out;
  };
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const sha256 = async (...parts: Uint8Array[]): Promise<Uint8Array> => new Uint8Array(await subtle.digest('SHA-256', concat(...parts)));
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
  const hex = (bytes: Uint8Array): string => Array.from(bytes, (v) => v.toString(16).padStart(2, '0')).join('');

  let bundle: {
    format?: unknown;
    verifierKey?: unknown;
    checkpoint?: unknown;
    selection?: { complete?: unknown; start?: unknown; end?: unknown };
    entries?: unknown;
  };
  try {
    bundle = JSON.parse(bundleText) as typeof bundle;
  } catch {
    return fail('bundle-malformed', 'het bestand is geen JSON: geen auditbundel');
  }
  if (bundle.format !== 'zicht-audit-bundle/1' || typeof bundle.checkpoint !== 'string' || !Array.isArray(bundle.entries)) {
    return fail('bundle-malformed', 'het bestand is geen auditbundel (zicht-audit-bundle/1)');
  }
  const keyFromBundle = trustedKey === undefined || trustedKey.trim() === '';
  const keyText = keyFromBundle ? (typeof bundle.verifierKey === 'string' ? bundle.verifierKey : '') : trustedKey.trim();

  // The verifier key: name+keyid+base64(0x01 || 32-byte Ed25519 key); the key id is SHA-256(name "\n" 0x01 key)[0:4].
  const first = keyText.indexOf('+');
  const second = first < 0 ? -1 : keyText.indexOf('+', first + 1);
  const name = keyText.slice(0, Math.max(first, 0));
  const keyBytes = second < 0 ? undefined : b64(keyText.slice(second + 1));
  if (second < 0 || name === '' || /[+\s]/.test(name) || !/^[0-9a-f]{8}$/.test(keyText.slice(first + 1, second)) || keyBytes?.length !== 33 || keyBytes[0] !== 1) {
    return fail('key-invalid', 'de logsleutel is geen geldige sleutel (naam+sleutel-id+base64)', keyText, keyFromBundle);
  }
  const publicKey = keyBytes.slice(1);
  const keyId = (await sha256(enc.encode(name), new Uint8Array([0x0a, 0x01]), publicKey)).slice(0, 4);
  if (hex(keyId) !== keyText.slice(first + 1, second)) return fail('key-invalid', 'het sleutel-id past niet bij de naam en de sleutel', keyText, keyFromBundle);

  // The signed note: the text up to and including the last blank line's newline, then "— name base64(keyid || sig)" lines.
  const note = bundle.checkpoint;
  const split = note.lastIndexOf('\n\n');
  const notSigned = (why: string): BundleCheck => fail('checkpoint-signature', `het checkpoint is niet geldig ondertekend met de logsleutel (${why})`, keyText, keyFromBundle);
  if (!note.endsWith('\n') || split < 0) return notSigned('geen ondertekende notitie');
  const body = note.slice(0, split + 1);
  let verified = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const sig = match?.[2] === undefined ? undefined : b64(match[2]);
    if (match?.[1] === undefined || sig === undefined || sig.length < 5) return notSigned('onleesbare handtekeningregel');
    if (match[1] !== name || !same(sig.slice(0, 4), keyId)) continue;
    const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    if (sig.length !== 68 || !(await subtle.verify({ name: 'Ed25519' }, key, sig.slice(4), enc.encode(body)))) return notSigned('handtekening klopt niet');
    verified = true;
  }
  if (!verified) return notSigned('niet ondertekend met deze sleutel');
  const [origin, sizeText, rootText] = body.slice(0, -1).split('\n');
  const root = rootText === undefined ? undefined : b64(rootText);
  if (origin === undefined || origin === '' || sizeText === undefined || !/^(0|[1-9][0-9]{0,19})$/.test(sizeText) || root?.length !== 32) {
    return fail('checkpoint-malformed', 'het checkpoint volgt het formaat niet (c2sp.org/tlog-checkpoint)', keyText, keyFromBundle);
  }
  const size = BigInt(sizeText);

  // RFC 9162 section 2.1.3.2: the root an inclusion proof leads to.
  const included = async (index: bigint, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<boolean> => {
    if (index >= size || proof.some((p) => p.length !== 32)) return false;
    let r = await sha256(new Uint8Array([0]), leaf);
    let fn = index;
    let sn = size - 1n;
    for (const p of proof) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = await sha256(new Uint8Array([1]), p, r);
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        r = await sha256(new Uint8Array([1]), r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && same(r, root);
  };

  const findings: BundleFinding[] = [];
  let previous = -1;
  const present = new Set<number>();
  for (const raw of bundle.entries as { index?: unknown; leaf?: unknown; proof?: unknown }[]) {
    const index = typeof raw.index === 'number' && Number.isSafeInteger(raw.index) && raw.index >= 0 ? raw.index : -1;
    const proof: (Uint8Array | undefined)[] = Array.isArray(raw.proof) ? raw.proof.map((p: unknown) => (typeof p === 'string' ? b64(p) : undefined)) : [undefined];
    const hashes = proof.filter((p): p is Uint8Array => p !== undefined);
    if (index <= previous) findings.push({ kind: 'entry-order', index, message: `vermelding ${index} staat niet op volgorde of komt twee keer voor` });
    previous = Math.max(previous, index);
    present.add(index);
    const ok = index >= 0 && typeof raw.leaf === 'string' && hashes.length === proof.length && (await included(BigInt(index), enc.encode(raw.leaf), hashes));
    if (!ok) findings.push({ kind: 'entry-not-included', index, message: `vermelding ${index} is niet het blad op die plaats in de ondertekende boom: gewijzigd, verplaatst of vervalst` });
  }
  const selection = bundle.selection;
  if (selection?.complete === true && typeof selection.start === 'number' && typeof selection.end === 'number') {
    const end = Math.min(selection.end, Number(size));
    for (let i = selection.start; i < end; i += 1) if (!present.has(i)) findings.push({ kind: 'entry-missing', index: i, message: `vermelding ${i} ontbreekt in een volledige export` });
  }
  return { ok: findings.length === 0, findings, key: keyText, keyFromBundle, size: size.toString(), entries: present.size };
}
