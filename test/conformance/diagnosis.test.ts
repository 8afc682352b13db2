/**
 * A run in which the system under test sent the suite nothing: its failures share one cause in the
 * system, so the report says so once and names where to look (reading rounds 35 and 37: a JOSE library
 * that refuses `crit: ["oin"]` sent no receipt at all, and every receipt case failed on its own).
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../conformance/runner.js';
import { toHtml } from '../../conformance/report/write.js';
import { urlTrigger } from '../../conformance/trigger.js';
import { freePort, HEERLEN, referenceGemeente, referenceVt, VT_ZUID_LIMBURG } from './helpers.js';

describe('the diagnosis of a run in which the system sent nothing', () => {
  it('role gemeente: a system whose gateway URL is not the suite fails CNF-101 and the report names the cause; told the suite\'s URL it sends its receipt and the report has no diagnosis', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    for (const configured of [false, true]) {
      const ref = await referenceGemeente();
      try {
        const report = await runConformance({
          role: 'gemeente',
          target: ref.receiver.url,
          sut: { ...HEERLEN, jwks: ref.jwks, versleutelingssleutels: ref.versleutelingssleutels },
          onListening: (url) => { ref.setGateway(configured ? url : nowhere); },
          only: new Set(['CNF-101']),
          timeoutMs: 1500,
          settleMs: 0,
        });
        const outcome = report.results.map((r) => [r.id, r.outcome]);
        if (configured) {
          expect(outcome).toEqual([['CNF-101', 'pass']]);
          expect(report.received).toBeGreaterThan(0);
          expect(report.diagnosis).toBeUndefined();
          expect(toHtml(report)).not.toContain('sent the suite nothing');
        } else {
          expect(outcome).toEqual([['CNF-101', 'fail']]);
          expect(report.received).toBe(0);
          expect(report.diagnosis).toContain('The system sent the suite nothing during the run');
          expect(report.diagnosis).toContain('spec/v1/README.md §2.3');
          expect(toHtml(report)).toContain('The system sent the suite nothing during the run');
        }
      } finally {
        await ref.receiver.close();
      }
    }
  });

  it('role gemeente: a system that is not up (every push refused a connection) errors, and the errors name the cause, not the diagnosis (reading round 39)', async () => {
    const ref = await referenceGemeente();
    const down = `http://127.0.0.1:${await freePort()}`;
    try {
      const report = await runConformance({ role: 'gemeente', target: down, sut: { ...HEERLEN, jwks: ref.jwks, versleutelingssleutels: ref.versleutelingssleutels }, onListening: ref.setGateway, only: new Set(['CNF-101']), timeoutMs: 1500, settleMs: 0 });
      expect(report.results.map((r) => [r.id, r.outcome])).toEqual([['CNF-101', 'error']]);
      expect(report.received).toBe(0);
      expect(report.diagnosis).toBeUndefined();
    } finally {
      await ref.receiver.close();
    }
  });

  it('role vt: a VT system that sends its handover elsewhere fails CNF-701 and the report names the cause', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const ref = await referenceVt();
    try {
      const report = await runConformance({ role: 'vt', target: ref.vt.url, sender: { oin: VT_ZUID_LIMBURG, jwks: ref.jwks }, trigger: urlTrigger(ref.vt.triggerUrl), onListening: () => { ref.setGateway(nowhere); }, only: new Set(['CNF-701']), timeoutMs: 1500, settleMs: 0 });
      expect(report.results.map((r) => [r.id, r.outcome])).toEqual([['CNF-701', 'fail']]);
      expect(report.received).toBe(0);
      expect(report.diagnosis).toContain('crit names oin');
    } finally {
      await ref.vt.idle();
      await ref.vt.close();
    }
  });
});
