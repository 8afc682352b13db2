/**
 * The tlog test vectors of test/vectors/tlog/ (see its SOURCE.md for their sources and quirks), read
 * verbatim. Integers of 16 digits or more are read as bigint from the text itself, because JSON.parse would
 * round 18446744073709551615 to 2^64 (SOURCE.md quirk 4).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VECTORS_DIR = join(import.meta.dirname, '..', 'vectors', 'tlog');

function readVectors(name: string): unknown {
  const text = readFileSync(join(VECTORS_DIR, name), 'utf8');
  // Only numbers after a colon are touched; no hex string in the files is a bare JSON number.
  return JSON.parse(text.replace(/(:\s*)(\d{16,})(?=\s*[,}])/g, '$1"bigint:$2"'), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith('bigint:') ? BigInt(value.slice(7)) : value,
  );
}

export type Big = number | bigint;
export interface InclusionVector { file: string; desc: string; leafIdx: Big; treeSize: Big; leafHash: string; root: string; proof: string[] | null; wantErr: boolean }
export interface ConsistencyVector { file: string; desc: string; size1: Big; size2: Big; root1: string; root2: string; proof: string[] | null; wantErr: boolean; strictWantErr?: boolean }
export interface MerkleVectors {
  hasher: { desc: string; kind: 'empty' | 'leaf' | 'node'; input?: string; left?: string; right?: string; want: string }[];
  leaves: string[];
  roots: { size: number; root: string }[];
  nodeHashes: string[][];
  inclusion: InclusionVector[];
  consistency: ConsistencyVector[];
}
export interface NoteVectors {
  vkeys: { desc: string; vkey: string; valid: boolean; keyId?: string; publicKey?: string }[];
  skeys: { desc: string; skey: string; vkey: string; text: string; signature: string }[];
  notes: { id: string; note?: string; noteHex?: string; vkeys: string[]; valid: boolean; verified?: string[] }[];
  noteParsing: { id: string; note: string; text: string; signatures: { name: string; keyId: string }[] }[];
  checkpoints: { id: string; note: string; vkeys: string[]; valid: boolean; expectOrigin?: string; origin?: string; size?: Big; root?: string; verified?: string[] }[];
  checkpointBodies: { desc: string; text: string; valid: boolean; origin?: string; size?: Big; root?: string }[];
}

export const merkle = readVectors('merkle.json') as MerkleVectors;
export const notes = readVectors('notes.json') as NoteVectors;

/** Bytes of a vector's hex string (which may be of any length, SOURCE.md quirk 3). */
export const hex = (value: string): Buffer => Buffer.from(value, 'hex');
