/**
 * C2SP signed notes and tlog-checkpoints against test/vectors/tlog/notes.json, verbatim (SOURCE.md:
 * golang.org/x/mod sumdb/note, C2SP signed-note.md and tlog-checkpoint.md, transparency-dev/formats). `valid`
 * is the strict C2SP expectation (quirks 9 to 17).
 */
import { describe, expect, it } from 'vitest';
import { AuditError } from '../../src/errors.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from '../../src/audit/checkpoint.js';
import { toHex } from '../../src/audit/hash.js';
import { parseSignerKey, parseVerifierKey } from '../../src/audit/note-key.js';
import { openNote, parseNote, signNote } from '../../src/audit/note.js';
import { notes } from './vectors.js';

function attempt<T>(fn: () => T): T | AuditError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof AuditError) return error;
    throw error;
  }
}

describe('verifier keys (quirk 11)', () => {
  it.each(notes.vkeys)('$desc', (v) => {
    const key = attempt(() => parseVerifierKey(v.vkey));
    if (!v.valid) {
      expect(key).toBeInstanceOf(AuditError);
      return;
    }
    if (key instanceof AuditError) throw key;
    expect(key.vkey).toBe(v.vkey);
    if (v.keyId !== undefined) expect(toHex(key.keyId)).toBe(v.keyId);
    if (v.publicKey !== undefined) expect(toHex(key.publicKey)).toBe(v.publicKey);
  });
});

describe('signer keys (quirk 18)', () => {
  it.each(notes.skeys)('$desc', (v) => {
    const signer = parseSignerKey(v.skey);
    expect(signer.vkey).toBe(v.vkey);
    const signed = signNote(v.text, signer);
    // Ed25519 is deterministic: the signature is the published one.
    expect(signed).toBe(`${v.text}\n\u2014 ${signer.name} ${v.signature}\n`);
    expect(openNote(signed, [parseVerifierKey(v.vkey)]).text).toBe(v.text);
  });
});

describe('signed notes (quirks 12 to 16)', () => {
  it.each(notes.notes)('$id', (v) => {
    const note = v.noteHex !== undefined ? Buffer.from(v.noteHex, 'hex') : (v.note ?? '');
    const result = attempt(() => openNote(note, v.vkeys.map(parseVerifierKey)));
    if (!v.valid) {
      expect(result).toBeInstanceOf(AuditError);
      return;
    }
    if (result instanceof AuditError) throw result;
    if (v.verified !== undefined) expect([...result.verifiedBy].sort()).toEqual([...v.verified].sort());
  });

  it.each(notes.noteParsing)('parses $id: the text ends at the last blank line', (v) => {
    const parsed = parseNote(v.note);
    expect(parsed.text).toBe(v.text);
    expect(parsed.signatures.map((s) => ({ name: s.name, keyId: toHex(s.keyId) }))).toEqual(v.signatures);
  });
});

describe('checkpoints (quirks 9, 10, 15)', () => {
  it.each(notes.checkpoints)('$id', (v) => {
    const result = attempt(() => openCheckpoint(v.note, v.vkeys.map(parseVerifierKey), v.expectOrigin));
    if (!v.valid) {
      expect(result).toBeInstanceOf(AuditError);
      return;
    }
    if (result instanceof AuditError) throw result;
    expect(result.origin).toBe(v.origin);
    expect(result.size).toBe(BigInt(v.size ?? -1));
    expect(toHex(result.root)).toBe(v.root);
    expect([...result.verifiedBy].sort()).toEqual([...(v.verified ?? [])].sort());
  });

  it.each(notes.checkpointBodies)('body: $desc', (v) => {
    const result = attempt(() => parseCheckpoint(v.text));
    if (!v.valid) {
      expect(result).toBeInstanceOf(AuditError);
      return;
    }
    if (result instanceof AuditError) throw result;
    expect(result.origin).toBe(v.origin);
    expect(result.size).toBe(BigInt(v.size ?? -1));
    expect(toHex(result.root)).toBe(v.root);
    expect(formatCheckpoint(result)).toBe(v.text);
  });

  it('signs a checkpoint that verifies with its own key and not with another', () => {
    const [peter, enoch] = notes.skeys.map((s) => parseSignerKey(s.skey));
    if (peter === undefined || enoch === undefined) throw new Error('two signer keys expected');
    const note = signCheckpoint({ origin: peter.name, size: 3n, root: Buffer.alloc(32, 7), extensions: [] }, peter);
    expect(openCheckpoint(note, [peter], peter.name).size).toBe(3n);
    expect(attempt(() => openCheckpoint(note, [enoch]))).toMatchObject({ code: 'ZICHT_AUDIT_NOTE_UNVERIFIED' });
  });
});
