/** The rule catalogue: stable, well-formed ids with sources, and every rule exercised by a test case. */
import { RuleId } from '../../src/model/outcome.js';
import { describe, expect, it } from 'vitest';
import { catalogue, ruleById } from '../../src/rules/catalogue.js';
import { invalidExamples } from '../helpers/examples.js';
import { warningCases } from '../helpers/warning-cases.js';

/** Error rules without an invalid example file, and the test that covers each instead. */
const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  'BER-002': 'test/rules/input.test.ts generates a bericht over the size limit rather than committing one',
  'SIG-001': 'test/rules/gateway.test.ts maps each signature error code to its rule; test/signing/ raises each code',
  'SIG-002': 'test/rules/gateway.test.ts, test/signing/',
  'SIG-003': 'test/rules/gateway.test.ts, test/signing/',
  'SIG-004': 'test/rules/gateway.test.ts, test/signing/',
  'SIG-005': 'test/rules/gateway.test.ts, test/signing/',
  'SIG-006': 'test/trust/attack-matrix.test.ts (a duplicate name inside a signed JWS header or a bearer token, made as an attacker would)',
  'SIG-007': 'test/signing/refusals.test.ts, test/trust/attack-matrix.test.ts (needs the verifier\'s clock)',
  'SIG-008': 'test/signing/refusals.test.ts, test/trust/attack-matrix.test.ts (needs the verifier\'s clock)',
  'RTE-001': 'test/routing/route.test.ts',
  'RTE-002': 'test/routing/route.test.ts',
  'RTE-003': 'test/routing/route.test.ts',
  'RTE-004': 'test/http/berichten.test.ts (needs a full outbox)',
  'ENC-001': 'test/registry/versleutelingssleutel.test.ts (a registry entry, not a bericht)',
  'ENC-002': 'test/registry/versleutelingssleutel.test.ts (a registry entry, not a bericht)',
  'ENC-003': 'test/delivery/encryption.test.ts (needs a receiver with an encryption key)',
  'ENC-004': 'test/delivery/decrypt.test.ts (a JWE, not a bericht)',
  'LVC-010': 'test/lifecycle/bad-input.test.ts (needs the gateway clock)',
  'LVC-011': 'test/lifecycle/bad-input.test.ts (needs the region profile)',
  'LVC-012': 'test/lifecycle/bad-input.test.ts (needs the ledger)',
  'AFL-001': 'test/demo/receiver-contract.test.ts (a push and its answer, not a bericht)',
  'AFL-002': 'test/demo/receiver-contract.test.ts (the push token)',
  'AFL-003': 'test/demo/receiver-contract.test.ts (needs the receiving system)',
  'AFL-004': 'test/demo/receiver-contract.test.ts (needs a key directory that cannot be read)',
  'AFL-005': 'test/demo/receiver-contract.test.ts (receipts sent after a push); ONT-013 has its own example',
  'AFL-006': 'test/demo/receiver-contract.test.ts (a resend)',
  'AFL-007': 'test/demo/receiver-contract.test.ts (the statuses of refusals)',
  'AFL-008': 'test/delivery/push-answers.test.ts, test/delivery/worker.test.ts (what the gateway does with each answer)',
  'CFG-001': 'test/cli/init.test.ts (a registry file, not a bericht)',
  'CFG-002': 'test/cli/init.test.ts (a registry file, not a bericht)',
  'CFG-003': 'test/cli/init.test.ts (a configuration file, not a bericht)',
  'CFG-004': 'test/cli/init.test.ts (a registry file and a flag, not a bericht)',
  'CFG-005': 'test/cli/init.test.ts (a configuration file, not a bericht)',
  'CFG-010': 'test/server/database-trouble.test.ts (needs an unavailable database)',
  'CFG-020': 'test/server/database-trouble.test.ts, test/ops/replay-reads.test.ts and test/ops/storage-faults.test.ts (replay protection of reads under an unavailable database)',
  'BER-030': 'test/http/parameters.test.ts, test/spec/responses.test.ts (a request parameter, not a bericht)',
  'BER-031': 'test/spec/responses.test.ts (a request without a valid token, not a bericht)',
};

describe('rule catalogue', () => {
  it('has unique ids of the form PREFIX-NNN', () => {
    const ids = catalogue.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(BER|OVD|VVW|ONT|LVC|VRW|SIG|RTE|ENC|AFL|CFG)-\d{3}$/);
    // Every id is one the published schema lets a problem or OperationOutcome cite (RuleId in openapi.json).
    for (const id of ids) expect(RuleId.safeParse(id).success, id).toBe(true);
  });

  it('gives every rule a source with a section and a one-line text', () => {
    for (const rule of catalogue) {
      expect(rule.sources.length, rule.id).toBeGreaterThan(0);
      for (const source of rule.sources) expect(source.section.length, rule.id).toBeGreaterThan(0);
      expect(rule.text, rule.id).not.toContain('\n');
    }
  });

  it('has an invalid example (or a named test) for every error rule', () => {
    const exampled = new Set(invalidExamples.map((f) => f.name.slice(0, 7)));
    const missing = catalogue.filter((r) => r.severity === 'error' && !exampled.has(r.id) && !(r.id in COVERED_ELSEWHERE)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('has a test case for every warning rule', () => {
    const cased = new Set(warningCases.map((c) => c.rule));
    expect(catalogue.filter((r) => r.severity === 'warning' && !cased.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('names invalid examples only after rules that exist', () => {
    for (const file of invalidExamples) expect(() => ruleById(file.name.slice(0, 7)), file.name).not.toThrow();
  });
});
