/**
 * The one strict JSON reader (RFC 8259 §4, RFC 7493 §2.3, RFC 7515 §4): a JSON text whose objects name a
 * member twice is refused, never resolved last-one-wins (or first-one-wins, as another parser might:
 * two readers of one signed text would then see two different values). Names are compared as decoded
 * strings, so `"a"` and `"\u0061"` are the same name.
 *
 * Cheap by construction (bench/validate.ts reports it beside JSON.parse): JSON.parse does the parsing and
 * the syntax check; duplicates are then detected by counting. Outside strings a JSON text has exactly one
 * `:` per member, so the `:` characters of the text equal the members of the parsed value plus the `:`
 * characters inside its strings and names. A member dropped as a duplicate takes its own `:` (and those of
 * its value) out of the parsed value, so the counts differ exactly when a name repeats. An escaped colon
 * (`\u003a`) breaks the equality, so a text with such an escape is counted by scanning its string tokens
 * instead. Only on a mismatch does a slow path walk the text to name the first duplicate's path.
 */
import { JsonError } from '../errors.js';

/** A member name or an array index on the way from the root to a value. */
export type JsonPath = readonly (string | number)[];

/**
 * Parses a JSON text, refusing duplicate member names at any depth.
 *
 * @throws {JsonError} `ZICHT_JSON_INVALID` when the text is not JSON (the message never quotes it),
 *   `ZICHT_JSON_DUPLICATE_MEMBER` with the `path` of the first repeated name (in text order).
 */
export function parseStrictJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonError('ZICHT_JSON_INVALID');
  }
  if (typeof value !== 'object' || value === null) return value;
  const unique = text.includes('\\u003') ? memberNamesInText(text) === membersOf(value) : colonsIn(text) === membersAndColonsOf(value);
  if (unique) return value;
  const path = firstDuplicate(text);
  if (path !== undefined) throw new JsonError('ZICHT_JSON_DUPLICATE_MEMBER', path);
  return value;
}

function colonsIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) n++;
  return n;
}

/** In one walk: the members of every object in a parsed value, plus the `:` characters inside its strings and names. */
function membersAndColonsOf(root: object): number {
  let n = 0;
  const stack: object[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) {
        if (typeof item === 'string') {
          if (item.includes(':')) n += colonsIn(item);
        } else if (typeof item === 'object' && item !== null) stack.push(item);
      }
    } else {
      for (const key in node) {
        n += key.includes(':') ? 1 + colonsIn(key) : 1;
        const item: unknown = (node as Record<string, unknown>)[key];
        if (typeof item === 'string') {
          if (item.includes(':')) n += colonsIn(item);
        } else if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return n;
}

/** The members of every object in a parsed value. */
function membersOf(root: object): number {
  let n = 0;
  const stack: object[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) if (typeof item === 'object' && item !== null) stack.push(item);
    } else {
      for (const key in node) {
        n++;
        const item: unknown = (node as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return n;
}

/**
 * Every string token of the text with what follows it up to a `:`, if any. Outside strings JSON has no
 * quotes, so a global scan that consumes whole strings never starts inside one.
 */
const STRING_TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"\s*:?/g;

/** The member names of a (valid) JSON text: its string tokens followed by `:`. */
function memberNamesInText(text: string): number {
  let n = 0;
  for (const token of text.match(STRING_TOKEN) ?? []) if (token.endsWith(':')) n++;
  return n;
}

const STRING_AT = /"[^"\\]*(?:\\.[^"\\]*)*"/y;

interface Frame {
  /** The names seen so far, for an object; undefined for an array. */
  readonly names: Set<string> | undefined;
  /** The member name or index of the value being read. */
  key: string | number;
}

/** The path of the first member name that repeats in its object, in text order, for a valid JSON text. */
function firstDuplicate(text: string): JsonPath | undefined {
  const stack: Frame[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack.at(-1);
    if (c === 0x7b /* { */) {
      stack.push({ names: new Set(), key: '' });
      expectName = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ names: undefined, key: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */ && top !== undefined) {
      if (top.names === undefined) top.key = (top.key as number) + 1;
      else expectName = true;
    } else if (c === 0x22 /* " */) {
      STRING_AT.lastIndex = i;
      const token = STRING_AT.exec(text)?.[0] ?? '""';
      i += token.length - 1;
      if (expectName && top?.names !== undefined) {
        const name = JSON.parse(token) as string;
        if (top.names.has(name)) return [...stack.slice(0, -1).map((frame) => frame.key), name];
        top.names.add(name);
        top.key = name;
        expectName = false;
      }
    }
  }
  return undefined;
}
