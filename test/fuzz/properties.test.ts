/**
 * Hostile input, CI-sized (issue 11): the properties of ./properties.ts with a few hundred inputs each.
 * `npm run fuzz` runs the same properties for a long run. A failure prints fast-check's seed and the
 * shrunk counterexample; rerun with that seed to reproduce.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { BACKENDS, useStore } from '../store/backends.js';
import { canonicalOnAnything, canonicalRoundTrip, httpProperty, jweProperty, jwsProperty, strictReaderAgreesWithJsonParse, strictReaderOnDuplicates, validatorOnBytes, validatorOnDuplicates, validatorOnMutations } from './properties.js';

const RUNS = Number(process.env.ZICHT_FUZZ_RUNS ?? 300);

describe('hostile input never crashes, never gets an undocumented answer, never comes back', () => {
  it('the validator on arbitrary bytes', () => {
    fc.assert(validatorOnBytes, { numRuns: RUNS });
  });
  it('the validator on mutated valid examples (planted canaries are not echoed)', () => {
    fc.assert(validatorOnMutations, { numRuns: RUNS });
  });
  it('the strict reader on a name repeated at any depth: refused at its path (BER-017)', () => {
    fc.assert(strictReaderOnDuplicates, { numRuns: RUNS });
  });
  it('the strict reader otherwise reads what JSON.parse reads', () => {
    fc.assert(strictReaderAgreesWithJsonParse, { numRuns: RUNS });
  });
  it('the validator on valid examples with a name repeated at any depth: BER-017 alone, no canary echoed', () => {
    fc.assert(validatorOnDuplicates, { numRuns: RUNS });
  });
  it('the canonicaliser: RFC 8785 round trip and idempotence on any JSON value', () => {
    fc.assert(canonicalRoundTrip, { numRuns: RUNS });
  });
  it('the canonicaliser on anything: a canonical text or CanonicalError', () => {
    fc.assert(canonicalOnAnything, { numRuns: RUNS });
  });
  it('JWS verification on mutated signatures: only signature, key or canonical errors', async () => {
    await fc.assert(await jwsProperty(), { numRuns: RUNS });
  });
  it('JWE decryption at the receiver on mutated JWEs: the original plaintext or an EncryptionError (ENC-004)', async () => {
    await fc.assert(await jweProperty(), { numRuns: RUNS });
  }, 60_000);
});

const sqlite = BACKENDS.find((b) => b.name === 'sqlite');
if (sqlite === undefined) throw new Error('no sqlite backend');

describe('POST /v1/berichten on hostile requests (SQLite)', () => {
  const ctx = useStore(sqlite.harness);
  it('answers every request with a documented status and a value-free problem+json', async () => {
    const { property } = await httpProperty(ctx.store);
    await fc.assert(property, { numRuns: Math.max(50, Math.floor(RUNS / 3)) });
  }, 120_000);
});
