/**
 * C2SP tlog-cosignature (cosignature/v1, Ed25519) and the tlog-witness request body against published vectors
 * (test/vectors/cosignature/SOURCE.md): a real cosigned checkpoint verifies with its witness key and not once
 * changed, key ids and key types, the timestamp's place in the signature, the signed message, the request body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCosignatures, cosign, cosignatureMessage, cosignerKeyId, cosignerOf, parseCosignerKey, withSignatureLines } from '../../src/audit/cosignature.js';
import { noteSignerFromSeed } from '../../src/audit/note-key.js';
import { parseNote, signNote } from '../../src/audit/note.js';
import { formatAddCheckpoint, parseAddCheckpoint } from '../../src/witness/witness.js';

interface Vectors {
  cosignedCheckpoints: { name: string; note: string; witness: string; valid: boolean }[];
  cosignerKeys: { vkey: string; valid: boolean }[];
  timestamps: { signature: string; timestamp: string | null; keyId?: string }[];
  messages: { text: string; timestamp: string; message: string }[];
  addCheckpointRequests: { body: string; oldSize: string; proof: string[]; origin: string; size: string }[];
}

const vectors = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'vectors', 'cosignature', 'vectors.json'), 'utf8')) as Vectors;

describe('cosignature/v1 against published vectors', () => {
  it.each(vectors.cosignedCheckpoints.map((v) => [v.name, v] as const))('%s', (_, vector) => {
    const [check] = checkCosignatures(vector.note, [parseCosignerKey(vector.witness)]);
    expect(check?.state).toBe(vector.valid ? 'valid' : 'invalid');
    if (vector.valid) expect(check?.timestamp).toBeGreaterThan(0n);
  });

  it('parses the cosigner keys upstream accepts as type 0x04, and refuses the rest', () => {
    for (const v of vectors.cosignerKeys) {
      if (v.valid) expect(parseCosignerKey(v.vkey).vkey).toBe(v.vkey);
      else expect(() => parseCosignerKey(v.vkey)).toThrow();
    }
  });

  it('reads the timestamp as the 8 big-endian bytes after the key id, and a plain note signature as none', () => {
    for (const v of vectors.timestamps) {
      const bytes = Buffer.from(v.signature, 'base64');
      if (v.timestamp === null) {
        expect(bytes.length).not.toBe(4 + 8 + 64);
        continue;
      }
      expect(bytes.length).toBe(4 + 8 + 64);
      expect(bytes.readBigUInt64BE(4).toString()).toBe(v.timestamp);
      if (v.keyId !== undefined) expect(bytes.subarray(0, 4).toString('hex')).toBe(v.keyId);
    }
  });

  it('signs the message of the specification: header line, time line, note text', () => {
    for (const v of vectors.messages) expect(cosignatureMessage(v.text, BigInt(v.timestamp)).toString('utf8')).toBe(v.message);
  });

  it('parses the add-checkpoint request body of the specification, and writes it back the same', () => {
    for (const v of vectors.addCheckpointRequests) {
      const request = parseAddCheckpoint(v.body);
      expect(request?.oldSize.toString()).toBe(v.oldSize);
      expect(request?.proof.map((p) => Buffer.from(p).toString('base64'))).toEqual(v.proof);
      expect(parseNote(request?.note ?? '').text).toBe(`${v.origin}\n${v.size}\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n`);
      expect(formatAddCheckpoint(BigInt(v.oldSize), v.proof, request?.note ?? '')).toBe(v.body);
    }
    expect(parseAddCheckpoint('old 01\n\nx\n')).toBeUndefined();
    expect(parseAddCheckpoint(`old 1\n${'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'.repeat(64)}\nx\n`)).toBeUndefined();
  });
});

describe('cosign', () => {
  const witness = cosignerOf(noteSignerFromSeed('toezicht.example/witness', Buffer.alloc(32, 5)));
  const log = noteSignerFromSeed('zicht.gateway/00000001000000000001', Buffer.alloc(32, 6));
  const text = 'zicht.gateway/00000001000000000001\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

  it('makes a line with the key id SHA-256(name \\n 0x04 key)[:4], the timestamp and a signature that verifies', () => {
    const line = cosign(text, witness, 1_700_000_000n);
    const bytes = Buffer.from(line.trim().split(' ')[2] ?? '', 'base64');
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from(cosignerKeyId(witness.name, witness.publicKey)));
    expect(Buffer.from(witness.keyId).toString('hex')).not.toBe(Buffer.from(log.keyId).toString('hex'));
    expect(bytes.readBigUInt64BE(4)).toBe(1_700_000_000n);
    const note = withSignatureLines(signNote(text, log), line);
    expect(checkCosignatures(note, [witness])).toEqual([{ witness: witness.name, vkey: witness.vkey, state: 'valid', timestamp: 1_700_000_000n }]);
    // Replacing keeps one line per key; a timestamp past the verifier's bound is refused.
    expect(withSignatureLines(note, cosign(text, witness, 1_700_000_001n)).split('\u2014').length).toBe(3);
    expect(checkCosignatures(note, [witness], 1_699_999_999n)[0]?.state).toBe('invalid');
    // A cosignature over another checkpoint does not verify for this one.
    const other = withSignatureLines(signNote(text.replace('\n3\n', '\n4\n'), log), line);
    expect(checkCosignatures(other, [witness])[0]?.state).toBe('invalid');
  });
});
