/**
 * CNF-131 in postbus mode (reading round 6, (c)1): a bericht not taken because the key directory was down was not
 * refused and is checked again every round (receiver.md §10, Q105). The suite judges only the time the directory
 * was down; a system that takes it in the round right after the directory is back passes.
 */
import { describe, expect, it } from 'vitest';
import { SuitePostbus } from '../../conformance/postbus.js';
import { runConformance } from '../../conformance/runner.js';
import { HEERLEN, referenceGemeente } from './helpers.js';

const ids = (page: { body: string }) => (JSON.parse(page.body) as { berichten: { berichtId: string }[] }).berichten.map((b) => b.berichtId);

describe('the suite postbus keeps a bericht not taken for want of keys', () => {
  it('a kept bericht is read again, and its acknowledgement in the next round is its outcome, not a refusal', async () => {
    const postbus = new SuitePostbus();
    const seq = postbus.put('B1', { berichtId: 'B1' });
    const down = postbus.outcome(seq, 5000, true);
    expect(ids(await postbus.read(10))).toEqual(['B1']);
    // The next read is the round that judges "not acknowledged while down"; the bericht is in it all the same.
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
    await postbus.read(10);
    expect(await outcome).toBe('not-acknowledged');
    expect(ids(await postbus.read(10))).toEqual([]);
    expect(postbus.put('B2', { berichtId: 'B2' })).not.toBe(seq);
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
