/**
 * Verifying an audit bundle in the browser (WebCrypto: Ed25519 and SHA-256), so that an auditor does not have
 * to trust the gateway that serves the page: a port of src/audit/bundle.ts `verifyBundle` with the note,
 * checkpoint and RFC 9162 inclusion-proof code it uses (src/audit/note.ts, checkpoint.ts, verify.ts).
 *
 * {@link checkBundle} is self-contained on purpose: the console serves its source text (`Function.toString`)
 * as the page's script, so it may use only globals a browser has (crypto.subtle, atob, TextEncoder, BigInt)
 * and nothing imported. The same function runs in Node in the tests, against `verifyBundle`'s findings.
 * Not ported: the consistency check against an earlier checkpoint (`zicht audit verify --earlier`).
 *
 * Read as strictly as the CLI reads it: a bundle that names a member twice is refused (BER-017), like the
 * project's strict reader (src/json/strict-json.ts) does, without importing it.
 *
 * As the CLI (spec/v1/log.md): no "ok" without a trusted key the auditor pasted (LOG-001; the key the page
 * shows comes from the gateway being checked, the bundle's own is a claim), and the unsigned `selection`
 * decides nothing (LOG-002): the outcome names the signed size, the indices verified and whether that is
 * the whole log.
 */

/** One problem found; `kind` is that of src/audit/bundle.ts. */
export interface BundleFinding {
  readonly kind: string;
  readonly index?: number;
  readonly message: string;
}

/** The outcome of a check in the browser. */
export interface BundleCheck {
  /** No finding, with a trusted key: what the bundle holds verified (see `complete`). */
  readonly ok: boolean;
  /** Every index of the signed tree verified: the whole log as of the checkpoint. */
  readonly complete: boolean;
  readonly findings: readonly BundleFinding[];
  /** The trusted verifier key used. */
  readonly key: string;
  /** The signed checkpoint's size. */
  readonly size?: string;
  readonly entries: number;
  /** The indices verified and those of the signed tree not in the bundle, as `a-b, c` (inclusive). */
  readonly verified: string;
  readonly unverified: string;
  /** What each witness key given said about the checkpoint (LOG-003). */
  readonly cosignatures: readonly { readonly witness: string; readonly state: 'valid' | 'invalid' | 'absent'; readonly time?: string }[];
}

/**
 * Checks an audit bundle (the JSON text `zicht audit export` writes) against `trustedKey` (a note verifier key
 * `name+keyid+base64` the auditor got out of band); without one nothing is verified (`no-trust-anchor`).
 */
export async function checkBundle(bundleText: string, trustedKey?: string, witnessKeys: readonly string[] = [], quorum: number = witnessKeys.length): Promise<BundleCheck> {
  const subtle = globalThis.crypto.subtle;
  const enc = new TextEncoder();
  const fail = (kind: string, message: string, key = ''): BundleCheck => ({ ok: false, complete: false, findings: [{ kind, message }], key, entries: 0, verified: '', unverified: '', cosignatures: [] });
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
  // BER-017, as the strict reader (src/json/strict-json.ts) that `zicht audit verify` reads bundles with: a member
  // named twice at any depth (names compared after unescaping) refuses the file. JSON.parse alone would keep the
  // last one, so that a bundle could show this check one checkpoint and another reader a different one.
  const duplicate = ((text: string): string | undefined => {
    const stack: { names: Set<string> | undefined; key: string | number }[] = [];
    const token = /"[^"\\]*(?:\\.[^"\\]*)*"/y;
    let expectName = false;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      const top = stack[stack.length - 1];
      if (c === 0x7b) {
        stack.push({ names: new Set(), key: '' });
        expectName = true;
      } else if (c === 0x5b) {
        stack.push({ names: undefined, key: 0 });
      } else if (c === 0x7d || c === 0x5d) {
        stack.pop();
      } else if (c === 0x2c && top !== undefined) {
        if (top.names === undefined) top.key = Number(top.key) + 1;
        else expectName = true;
      } else if (c === 0x22) {
        token.lastIndex = i;
        const found = token.exec(text)?.[0] ?? '""';
        i += found.length - 1;
        if (expectName && top?.names !== undefined) {
          const name = JSON.parse(found) as string;
          if (top.names.has(name)) {
            return [...stack.slice(0, -1).map((f) => f.key), name]
              // As formatJsonPath (src/errors.ts): a name that could be data is masked.
              .map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(k) && !/\d{5}/.test(k) ? `.${k}` : "['?']"))
              .join('')
              .replace(/^/, '$');
          }
          top.names.add(name);
          top.key = name;
          expectName = false;
        }
      }
    }
    return undefined;
  })(bundleText);
  if (duplicate !== undefined) {
    return fail('duplicate-member', `het bestand noemt een veld twee keer (${duplicate}): geweigerd, nooit gelezen alsof het laatste telt (BER-017, ZICHT_JSON_DUPLICATE_MEMBER)`);
  }
  if (bundle.format !== 'zicht-audit-bundle/1' || typeof bundle.checkpoint !== 'string' || !Array.isArray(bundle.entries)) {
    return fail('bundle-malformed', 'het bestand is geen auditbundel (zicht-audit-bundle/1)');
  }
  // LOG-001: the bundle's own verifierKey is never the anchor.
  if (trustedKey === undefined || trustedKey.trim() === '') {
    return fail('no-trust-anchor', 'niets gecontroleerd: geef de logsleutel die u buiten deze gateway om kreeg (van de beheerder van de gateway, of eerder vastgelegd met zicht audit verify --pin); de sleutel in de bundel en op deze pagina komt van de partij die u controleert');
  }
  const keyText = trustedKey.trim();

  // The verifier key: name+keyid+base64(0x01 || 32-byte Ed25519 key); the key id is SHA-256(name "\n" 0x01 key)[0:4].
  const first = keyText.indexOf('+');
  const second = first < 0 ? -1 : keyText.indexOf('+', first + 1);
  const name = keyText.slice(0, Math.max(first, 0));
  const keyBytes = second < 0 ? undefined : b64(keyText.slice(second + 1));
  if (second < 0 || name === '' || /[+\s]/.test(name) || !/^[0-9a-f]{8}$/.test(keyText.slice(first + 1, second)) || keyBytes?.length !== 33 || keyBytes[0] !== 1) {
    return fail('key-invalid', 'de logsleutel is geen geldige sleutel (naam+sleutel-id+base64)', keyText);
  }
  const publicKey = keyBytes.slice(1);
  const keyId = (await sha256(enc.encode(name), new Uint8Array([0x0a, 0x01]), publicKey)).slice(0, 4);
  if (hex(keyId) !== keyText.slice(first + 1, second)) return fail('key-invalid', 'het sleutel-id past niet bij de naam en de sleutel', keyText);

  // The signed note: the text up to and including the last blank line's newline, then "— name base64(keyid || sig)" lines.
  const note = bundle.checkpoint;
  const split = note.lastIndexOf('\n\n');
  const notSigned = (why: string): BundleCheck => fail('checkpoint-signature', `het checkpoint is niet geldig ondertekend met de logsleutel (${why})`, keyText);
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
    return fail('checkpoint-malformed', 'het checkpoint volgt het formaat niet (c2sp.org/tlog-checkpoint)', keyText);
  }
  const size = BigInt(sizeText);

  // LOG-003: C2SP cosignature/v1 of the witness keys given (name+keyid+base64(0x04 || key)); other lines ignored.
  const cosignatures: { witness: string; state: 'valid' | 'invalid' | 'absent'; time?: string }[] = [];
  const sigLines = note.slice(split + 2, -1).split('\n');
  for (const wkey of witnessKeys.map((k) => k.trim()).filter((k) => k !== '')) {
    const f = wkey.indexOf('+');
    const g = f < 0 ? -1 : wkey.indexOf('+', f + 1);
    const wname = wkey.slice(0, Math.max(f, 0));
    const wbytes = g < 0 ? undefined : b64(wkey.slice(g + 1));
    if (g < 0 || wname === '' || wbytes?.length !== 33 || wbytes[0] !== 4) return fail('key-invalid', 'een getuigensleutel is geen cosignature/v1-sleutel (naam+sleutel-id+base64(0x04 || sleutel))', keyText);
    const wpub = wbytes.slice(1);
    const wid = (await sha256(enc.encode(wname), new Uint8Array([0x0a, 0x04]), wpub)).slice(0, 4);
    if (hex(wid) !== wkey.slice(f + 1, g)) return fail('key-invalid', 'het sleutel-id van een getuigensleutel past niet bij de naam en de sleutel', keyText);
    let state = 'absent' as 'valid' | 'invalid' | 'absent';
    let time: string | undefined;
    for (const line of sigLines) {
      const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
      const sig = match?.[2] === undefined ? undefined : b64(match[2]);
      if (match?.[1] !== wname || sig === undefined || sig.length < 4 || !same(sig.slice(0, 4), wid)) continue;
      let ts = 0n;
      for (const byte of sig.slice(4, 12)) ts = (ts << 8n) | BigInt(byte);
      const wk = await subtle.importKey('raw', wpub, { name: 'Ed25519' }, false, ['verify']);
      const message = concat(enc.encode(`cosignature/v1\ntime ${ts.toString()}\n`), enc.encode(body));
      const good = sig.length === 76 && ts < 1n << 63n && (await subtle.verify({ name: 'Ed25519' }, wk, sig.slice(12), message));
      state = good && state !== 'invalid' ? 'valid' : 'invalid';
      if (good) time = new Date(Number(ts) * 1000).toISOString();
    }
    cosignatures.push({ witness: wname, state, ...(time === undefined ? {} : { time }) });
  }

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
  for (const c of cosignatures) if (c.state === 'invalid') findings.push({ kind: 'cosignature-invalid', message: `de medeondertekening van getuige ${c.witness} klopt niet` });
  const validCosignatures = cosignatures.filter((c) => c.state === 'valid').length;
  if (cosignatures.length > 0 && validCosignatures < quorum) {
    findings.push({ kind: 'cosignature-quorum', message: `het checkpoint heeft ${validCosignatures} geldige medeondertekening(en) van de ${cosignatures.length} getuige(n), ${quorum} vereist: mogelijk een gespleten log (split view)` });
  }
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
  // LOG-002: the signed size decides which indices count; the unsigned selection is held to what it claims.
  const n = Number(size);
  const selection = bundle.selection;
  if (selection?.start !== 0 || selection.end !== n) {
    findings.push({ kind: 'selection-mismatch', message: `de niet-ondertekende selectie van de bundel past niet bij het ondertekende checkpoint met ${n} bladen: de selectie is gewijzigd` });
  }
  if (selection?.complete === true) {
    for (let i = 0; i < n; i += 1) if (!present.has(i)) findings.push({ kind: 'entry-missing', index: i, message: `vermelding ${i} ontbreekt in een export die zegt volledig te zijn` });
  }
  const bad = new Set(findings.filter((f) => f.kind === 'entry-not-included').map((f) => f.index));
  const ranges = (has: (i: number) => boolean): string => {
    const out: string[] = [];
    for (let i = 0; i < n; i += 1) {
      if (!has(i)) continue;
      let j = i;
      while (j + 1 < n && has(j + 1)) j += 1;
      out.push(i === j ? `${i}` : `${i}-${j}`);
      i = j;
    }
    return out.join(', ');
  };
  const good = (i: number): boolean => present.has(i) && !bad.has(i);
  const unverified = ranges((i) => !good(i));
  return { ok: findings.length === 0, complete: findings.length === 0 && unverified === '', findings, key: keyText, size: size.toString(), entries: present.size, verified: ranges(good), unverified, cosignatures };
}
