/**
 * Reading a bericht's bytes: one JSON text in UTF-8 within the size limit (BER-001, BER-002), no member
 * named twice (BER-017, by the one strict reader, src/json/strict-json.ts), and the depth check (BER-003).
 * Nothing here ever quotes the input: JSON.parse's own messages do, so they are replaced by ours.
 */
import { isUtf8 } from 'node:buffer';
import type { Issue } from '../model/outcome.js';
import { MAX_BERICHT_BYTES, MAX_DEPTH } from './bericht.js';
import { JsonError } from '../errors.js';
import { parseStrictJson } from '../json/strict-json.js';
import { issueFor } from './issue.js';
import { shownName } from './schema-issues.js';

/** The parsed value, or the issues that stopped reading. */
export type InputResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issues: readonly Issue[] };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

const fail = (message: string, ruleId = 'BER-001'): InputResult => ({ ok: false, issues: [issueFor(ruleId, [], message)] });

/** Reads raw bytes or text as one JSON value, enforcing BER-001 and BER-002. */
export function readJson(input: Uint8Array | string): InputResult {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > MAX_BERICHT_BYTES / 3 && Buffer.byteLength(input, 'utf8') > MAX_BERICHT_BYTES) {
      return fail(`The bericht is larger than ${MAX_BERICHT_BYTES} bytes.`, 'BER-002');
    }
    text = input;
  } else {
    if (input.byteLength > MAX_BERICHT_BYTES) return fail(`The bericht is larger than ${MAX_BERICHT_BYTES} bytes.`, 'BER-002');
    if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) return fail('The bericht starts with a byte order mark.');
    if (!isUtf8(input)) return fail('The bericht is not valid UTF-8.');
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  }
  if (text.charCodeAt(0) === 0xfeff) return fail('The bericht starts with a byte order mark.');
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    if (error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER') return { ok: false, issues: [duplicateIssue(error.path)] };
    return fail(/^\s*$/.test(text) ? 'The bericht is empty.' : 'The bericht is not valid JSON.');
  }
  if (SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(value)) return fail('The bericht contains an unpaired surrogate (RFC 7493 §2.1).');
  return { ok: true, value };
}

/**
 * BER-017 at the repeated name. Names on the path are shown only when the standard itself uses them: any
 * other name could be data (a surname used as a key).
 */
export function duplicateIssue(path: readonly (string | number)[]): Issue {
  const shown = path.map((segment) => (typeof segment === 'number' ? segment : shownName(segment)));
  return issueFor('BER-017', shown, 'An object names this member twice; a JSON text with duplicate member names is refused, never read last-one-wins (ZICHT_JSON_DUPLICATE_MEMBER).', 'ZICHT_JSON_DUPLICATE_MEMBER');
}

/** Walks a parsed value without recursion; true when a string or member name holds an unpaired surrogate. */
function hasLoneSurrogate(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return true;
    } else if (Array.isArray(value)) {
      stack.push(...(value as unknown[]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, member] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) return true;
        stack.push(member);
      }
    }
  }
  return false;
}

/** True when arrays and objects in the value nest deeper than MAX_DEPTH (BER-003); iterative, so any depth is safe. */
export function exceedsMaxDepth(root: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > MAX_DEPTH) return true;
    const members: unknown[] = Array.isArray(item.value) ? (item.value as unknown[]) : Object.values(item.value);
    for (const member of members) if (typeof member === 'object' && member !== null) stack.push({ value: member, depth });
  }
  return false;
}
