/**
 * The one strict JSON reader (RFC 8259 §4, RFC 7493 §2.3, RFC 7515 §4): a JSON text whose objects name a
 * member twice is refused, never resolved last-one-wins (or first-one-wins, as another parser might:
 * two readers of one signed text would then see two different values). Names are compared as decoded
 * strings, so `"a"` and `"\u0061"` are the same name.
 *
 * Cheap by construction (bench/validate.ts reports it beside JSON.parse): JSON.parse does the parsing and
 * the syntax check; duplicates are then ruled out by counting, without looking inside a single string.
 * Every member of the text has exactly one `:` after its name, and only whitespace lies between the name's
 * closing quote and that `:`. So the `:` characters of the text that follow a `"` (whitespace aside) number
 * at least the members of the text: more only when a string itself holds a `"`-then-`:` (an escaped quote,
 * or a string that starts with a colon). The parsed value has as many members as the text when no name
 * repeats, and fewer when one does (the repeated member, with what its value held, is dropped). So equal
 * counts prove that no name repeats; on unequal counts (a duplicate, or such a string) a slow path walks
 * the text, names the first duplicate's path or finds there is none.
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
  if (quotedColonsIn(text) === membersOf(value)) return value;
  const path = firstDuplicate(text);
  if (path !== undefined) throw new JsonError('ZICHT_JSON_DUPLICATE_MEMBER', path);
  return value;
}

/** The `:` characters of a text that follow a `"` with only JSON whitespace between: at least its members. */
function quotedColonsIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(--j);
    if (c === 0x22 /* " */) n++;
  }
  return n;
}

/**
 * The members of every object in a parsed value (its own names: JSON.parse defines each as an own property).
 * Recursive while that is cheap; below RECURSION_LIMIT levels an explicit stack, so any depth JSON.parse
 * accepts is counted without exhausting the call stack (BER-003 refuses such depth after this reader).
 */
function membersOf(node: object, depth = 0): number {
  if (depth > RECURSION_LIMIT) return membersIteratively(node);
  let n = 0;
  if (Array.isArray(node)) {
    for (const item of node as unknown[]) if (typeof item === 'object' && item !== null) n += membersOf(item, depth + 1);
    return n;
  }
  for (const key in node) {
    n++;
    const item: unknown = (node as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) n += membersOf(item, depth + 1);
  }
  return n;
}

const RECURSION_LIMIT = 200;

function membersIteratively(root: object): number {
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
