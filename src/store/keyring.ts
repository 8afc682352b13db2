/**
 * The key-encryption keys (KEKs) that wrap the per-bericht data keys of payloads at rest
 * (src/store/body-cipher.ts). A keyring holds one or more 256-bit KEKs by id and names the current one:
 * new berichten are sealed under it, older ones are opened with the KEK their row names until
 * `Store.rewrapBodies` has re-wrapped them. So a KEK rotates without downtime: add the new key, make it
 * current, re-wrap, retire the old one.
 *
 * Format (a file, `--kek-file`/`ZICHT_KEK_FILE`, or the text itself in `ZICHT_KEK`):
 * `{ "current": "kek-2026-11", "keys": { "kek-2026-11": "<base64 of 32 bytes>", "kek-2026-05": "…" } }`.
 * A keyring never shows its keys: not in `JSON.stringify`, not in `util.inspect`, not in errors.
 */
import { randomBytes } from 'node:crypto';
import { parseStrictJson } from '../json/strict-json.js';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';
import { formatJsonPath, JsonError, StoreError } from '../errors.js';

/** A KEK id: stored with every encrypted row, so short and plain. */
export const KekId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

const KeyringFile = z.strictObject({
  current: KekId,
  keys: z.record(KekId, z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 256-bit key')),
}).refine((k) => Object.hasOwn(k.keys, k.current), { path: ['current'], message: 'The current KEK is not among the keys.' });

/** The KEKs of a gateway. Mutable only through {@link Keyring.reload}, so a running gateway can pick up a rotation. */
export class Keyring {
  #current: string;
  #keys: Map<string, Buffer>;

  private constructor(current: string, keys: Map<string, Buffer>) {
    this.#current = current;
    this.#keys = keys;
  }

  /**
   * Parses a keyring's JSON text.
   *
   * @throws {StoreError} `ZICHT_STORE_KEY_INVALID` naming what is wrong, never a key.
   */
  static parse(text: string): Keyring {
    let json: unknown;
    try {
      json = parseStrictJson(text);
    } catch (error) {
      throw new StoreError('ZICHT_STORE_KEY_INVALID', { message: error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER' ? `The keyring names a member twice at ${formatJsonPath(error.path)} (BER-017).` : 'The keyring is not JSON.' });
    }
    const parsed = KeyringFile.safeParse(json);
    if (!parsed.success) {
      const paths = [...new Set(parsed.error.issues.map((i) => (i.path.length === 0 ? '(keyring)' : i.path.map(String).join('.'))))];
      throw new StoreError('ZICHT_STORE_KEY_INVALID', { message: `The keyring does not match its format: ${paths.join(', ')}.` });
    }
    return new Keyring(parsed.data.current, new Map(Object.entries(parsed.data.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')])));
  }

  /** A new keyring with one fresh random KEK, current (the demo's, and `zicht kek generate`'s). */
  static generate(id: string = defaultKekId()): Keyring {
    return new Keyring(KekId.parse(id), new Map([[id, randomBytes(32)]]));
  }

  /** The id of the KEK new berichten are sealed under. */
  get currentId(): string {
    return this.#current;
  }

  /** Every KEK id, current first. */
  get ids(): string[] {
    return [this.#current, ...[...this.#keys.keys()].filter((id) => id !== this.#current)];
  }

  /** The KEK with this id, or `undefined`. For src/store/body-cipher.ts only. */
  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  /** Takes over the keys and current id of `other` (a rotation picked up by a running gateway). */
  reload(other: Keyring): void {
    this.#current = other.#current;
    this.#keys = other.#keys;
  }

  /** This keyring with a fresh KEK added, current or not (stage it on every gateway first, then make it current). */
  withNewKey(id: string, current: boolean): Keyring {
    if (this.#keys.has(id)) throw new StoreError('ZICHT_STORE_KEY_INVALID', { message: 'The keyring holds a KEK with this id already.' });
    const keys = new Map(this.#keys);
    keys.set(KekId.parse(id), randomBytes(32));
    return new Keyring(current ? id : this.#current, keys);
  }

  /** The keyring's file text, keys included: for writing the file (mode 0600), never for logs. */
  exportText(): string {
    return `${JSON.stringify({ current: this.#current, keys: Object.fromEntries([...this.#keys].map(([id, key]) => [id, key.toString('base64')])) }, null, 2)}\n`;
  }

  toJSON(): { current: string; ids: string[] } {
    return { current: this.#current, ids: this.ids };
  }

  [inspect.custom](): string {
    return `Keyring { current: '${this.#current}', ids: [${this.ids.map((id) => `'${id}'`).join(', ')}] }`;
  }
}

/** `kek-YYYY-MM-DD`, the day's date: ids that sort by age. */
export function defaultKekId(now: Date = new Date()): string {
  return `kek-${now.toISOString().slice(0, 10)}`;
}

/**
 * The keyring the configuration names: the file `file` (e.g. `--kek-file`), else the file `ZICHT_KEK_FILE`,
 * else the text `ZICHT_KEK`; `undefined` when none is set (payloads are then stored unencrypted).
 *
 * @throws {StoreError} `ZICHT_STORE_KEY_INVALID` when the file cannot be read or the keyring is malformed.
 */
export function loadKeyring(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const path = file ?? env.ZICHT_KEK_FILE;
  if (path !== undefined && path !== '') {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new StoreError('ZICHT_STORE_KEY_INVALID', { message: `The keyring file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).` });
    }
    return Keyring.parse(text);
  }
  const inline = env.ZICHT_KEK;
  return inline === undefined || inline === '' ? undefined : Keyring.parse(inline);
}
