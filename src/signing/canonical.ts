/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a bericht that is signed and
 * verified. Written here rather than taken from the `canonicalize` package: that package (4.x; 5.x
 * needs Node 22) is correct on every vector but spends a quarter of a verification's main-thread
 * time, and the issue 4 benchmark target (verify >= 0.7x bare jose) needs it faster. It stays as a
 * dev dependency, the differential oracle of test/signing/canonical.test.ts. Tested against every
 * RFC 8785 vector in test/vectors/jcs/.
 *
 * The rules (RFC 8785 §3.2): members sorted by their names as UTF-16 code units (§3.2.3); no
 * whitespace; strings and numbers serialised as ECMAScript's JSON.stringify does (§3.2.2.2, §3.2.2.3),
 * which for numbers is Number.prototype.toString; NaN and ±Infinity refused; lone surrogates refused
 * (the data must be I-JSON, RFC 7493 §2.1).
 */
import { CanonicalError } from '../errors.js';

/** Deepest nesting serialised; deeper (or cyclic) values are refused instead of exhausting the stack. */
export const MAX_CANONICAL_DEPTH = 1000;

/** In a `u` regex a surrogate pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;

function fail(): never {
  throw new CanonicalError('ZICHT_CANONICAL_INVALID');
}

function string(value: string): string {
  if (LONE_SURROGATE.test(value)) fail();
  return JSON.stringify(value);
}

function object(record: Record<string, unknown>, depth: number, omit?: string): string {
  const names = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const name of names) {
    const member = record[name];
    // As JSON.stringify: a member whose value is undefined is not written.
    if (member === undefined || name === omit) continue;
    if (!first) out += ',';
    first = false;
    out += `${string(name)}:${serialise(member, depth + 1)}`;
  }
  return `${out}}`;
}

function serialise(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return string(value);
    case 'number':
      // JSON.stringify writes Number.prototype.toString's form, and "0" for -0 (RFC 8785 §3.2.2.3).
      return Number.isFinite(value) ? JSON.stringify(value) : fail();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_CANONICAL_DEPTH) fail();
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          out += item === undefined ? 'null' : serialise(item, depth + 1);
        }
        return `${out}]`;
      }
      if ('toJSON' in value && typeof value.toJSON === 'function') return serialise((value.toJSON as () => unknown)(), depth + 1);
      return object(value as Record<string, unknown>, depth);
    }
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      // No JSON form (undefined only reaches here at the top level or through toJSON).
      return fail();
  }
}

/**
 * The RFC 8785 canonical JSON text of a JSON value (as `JSON.parse` returns it).
 *
 * @throws {CanonicalError} `ZICHT_CANONICAL_INVALID` for NaN or ±Infinity (RFC 8785 §3.2.2.3), a
 *   lone surrogate (I-JSON, RFC 7493 §2.1), a cycle or nesting deeper than {@link MAX_CANONICAL_DEPTH},
 *   or a value JSON cannot hold (bigint, symbol, function, top-level undefined). Never anything else.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, 0);
}

/** The UTF-8 bytes of {@link canonicalJson}. */
export function canonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/**
 * The bytes every signature of a bericht covers: RFC 8785 of the bericht without its `signatures`
 * member (the sender's signature and the gateway's countersignature cover the same bytes).
 *
 * @throws {CanonicalError} `ZICHT_CANONICAL_INVALID` when the value is not a JSON object or has no canonical form.
 */
export function canonicalBericht(bericht: unknown): Uint8Array {
  if (typeof bericht !== 'object' || bericht === null || Array.isArray(bericht)) fail();
  return Buffer.from(object(bericht as Record<string, unknown>, 0, 'signatures'), 'utf8');
}
