/**
 * CNF-131 in postbus mode (reading round 6, (c)1): a bericht not taken because the key directory was down was not
 * refused and is checked again every round (receiver.md §10, Q105). The suite judges only the time the directory
 * was down; a system that takes it in the round right after the directory is back passes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOLD_BACK_MS } from '../../conformance/http.js';
import { SuitePostbus } from '../../conformance/postbus.js';
import { runConformance } from '../../conformance/runner.js';
import { HEERLEN, referenceGemeente } from './helpers.js';

const ids = (page: { body: string }) => (JSON.parse(page.body) as { berichten: { berichtId: string }[] }).berichten.map((b) => b.berichtId);

describe('the suite postbus keeps a bericht not taken for want of keys', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a kept bericht is read again, and its acknowledgement in the next round is its outcome, not a refusal', async () => {
    const postbus = new SuitePostbus();
    const seq = postbus.put('B1', { berichtId: 'B1' });
    const down = postbus.outcome(seq, 5000, true);
    expect(ids(await postbus.read(10))).toEqual(['B1']);
    vi.advanceTimersByTime(HOLD_BACK_MS);
    // The round a second later, once dealt with, judges "not acknowledged while down"; the bericht is in it all the same.
    expect(ids(await postbus.read(10))).toEqual(['B1']);
    expect(ids(await postbus.read(10))).toEqual(['B1']);
    expect(await down).toBe('not-acknowledged');
    // The directory is back: the system takes it from that page and acknowledges it.
    expect(postbus.acknowledge('B1')).toBe(true);
    // Delivering it again waits for the same bericht, which was acknowledged.
    expect(postbus.put('B1', { berichtId: 'B1' })).toBe(seq);
    expect(await postbus.outcome(seq, 5000)).toBe('acknowledged');
  });

  it('without keep, a bericht read and not acknowledged leaves the postbus (a refusal)', async () => {
    const postbus = new SuitePostbus();
    const seq = postbus.put('B2', { berichtId: 'B2' });
    const outcome = postbus.outcome(seq, 5000);
    await postbus.read(10);
    vi.advanceTimersByTime(HOLD_BACK_MS);
    await postbus.read(10);
    await postbus.read(10);
    expect(await outcome).toBe('not-acknowledged');
    expect(ids(await postbus.read(10))).toEqual([]);
    expect(postbus.put('B2', { berichtId: 'B2' })).not.toBe(seq);
  });

  it('rounds within a second of the first read are not yet a refusal: a receiver may hold back a key-set fetch for a second and take the bericht in a later round (receiver.md §4, Q171)', async () => {
    const postbus = new SuitePostbus();
    const seq = postbus.put('B3', { berichtId: 'B3' });
    let outcome: string | undefined;
    const judged = postbus.outcome(seq, 5000).then((o) => (outcome = o));
    // Rounds every 300 ms: the first four (0 to 900 ms) fall within the second; the fifth (1,200 ms) is the first a second after the first read.
    for (let round = 0; round < 5; round++) {
      expect(ids(await postbus.read(10))).toEqual(['B3']);
      await Promise.resolve();
      expect(outcome).toBeUndefined();
      vi.advanceTimersByTime(300);
    }
    // That fifth round is dealt with only when the next begins; the bericht was taken in it.
    expect(postbus.acknowledge('B3')).toBe(true);
    await judged;
    expect(outcome).toBe('acknowledged');
    // Not acknowledged in the round a second after the first read, and read again: that is the refusal.
    const seq4 = postbus.put('B4', { berichtId: 'B4' });
    const refused = postbus.outcome(seq4, 5000);
    for (let round = 0; round < 6; round++) {
      await postbus.read(10);
      vi.advanceTimersByTime(300);
    }
    expect(await refused).toBe('not-acknowledged');
  });
});

describe('CNF-131 in postbus mode', () => {
  it('passes a reader that leaves the bericht while the directory is down and takes it once it is back; fails one that takes it while down', async () => {
    for (const [defect, expected] of [[undefined, 'pass'], [{ kind: 'ignores-rule', rule: 'AFL-004' } as const, 'fail']] as const) {
      const ref = await referenceGemeente(defect, 'postbus');
      try {
        const report = await runConformance({ role: 'gemeente', mode: 'postbus', target: 'postbus:', sut: { ...HEERLEN, jwks: ref.jwks, versleutelingssleutels: ref.versleutelingssleutels }, onListening: ref.setGateway, only: new Set(['CNF-131']), settleMs: 300, timeoutMs: 3000 });
        const result = report.results.find((r) => r.id === 'CNF-131');
        expect([result?.outcome, result?.reason], JSON.stringify(defect)).toEqual([expected, expect.any(String)]);
        if (expected === 'pass') expect(result?.reason).toContain('taken and acknowledged');
      } finally {
        await ref.receiver.close();
      }
    }
  }, 60000);
});
