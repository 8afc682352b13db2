/**
 * `zicht validate FILE... [--format text|json]`: validates berichten against spec v1. The files
 * given together form the trail for each other, so a receipt is checked against its handover.
 * Exit 0 all valid (warnings allowed), 1 any invalid, 2 usage or I/O error.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Bericht } from '../../model/bericht.js';
import type { Issue } from '../../model/outcome.js';
import { MAX_BERICHT_BYTES } from '../../rules/bericht.js';
import { trailOf } from '../../rules/context.js';
import { issueFor, toOperationOutcome } from '../../rules/issue.js';
import { validateBericht, type ValidationResult } from '../../rules/validate.js';
import { IoError, UsageError } from '../../errors.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';

const usage = `usage: zicht validate FILE... [--format text|json]

Validates each FILE as a Zicht v1 bericht: the schema and every rule of spec/v1/rules.md.
The files given together are each other's dossier trail (a receipt is checked against its handover).

  --format text   one line per finding: rule id, severity, JSON path, message (default)
  --format json   an OperationOutcome (one file) or a FHIR Bundle of OperationOutcomes (several)

Exit: 0 valid (warnings allowed), 1 invalid, 2 usage or I/O error.
`;

/** Reads a file for validation; a file over the size limit is not read at all (BER-002). */
function readInput(file: string): Uint8Array | Issue {
  try {
    if (statSync(file).size > MAX_BERICHT_BYTES) return issueFor('BER-002', [], `The bericht is larger than ${MAX_BERICHT_BYTES} bytes.`);
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new IoError(`cannot read ${file} (${code})`, { cause: error });
  }
}

function formatText(file: string, result: ValidationResult): string {
  const lines = [`${file}: ${result.ok ? 'valid' : 'invalid'}`];
  for (const issue of result.issues) lines.push(`  ${issue.rule} ${issue.severity} ${issue.path} ${issue.message}`);
  return `${lines.join('\n')}\n`;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'validate berichten against spec v1 (schema and rules)',
  usage,
  // eslint-disable-next-line @typescript-eslint/require-await -- every command has the same async signature
  async run(args, io) {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({ args: [...args], options: { format: { type: 'string', default: 'text' } }, allowPositionals: true, strict: true }),
    );
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
    if (positionals.length === 0) throw new UsageError('no FILE given');

    const inputs = positionals.map((file) => ({ file, input: readInput(file) }));
    const first = inputs.map(({ input }) => (input instanceof Uint8Array ? validateBericht(input) : undefined));
    const trail = trailOf(first.flatMap((r) => (r?.value ? [r.value] : [])) satisfies Bericht[]);
    const results = inputs.map(({ file, input }): { file: string; result: ValidationResult } => ({
      file,
      result: input instanceof Uint8Array ? validateBericht(input, { context: trail }) : { ok: false, issues: [input] },
    }));

    if (values.format === 'json') {
      const outcomes = results.map(({ result }) => toOperationOutcome(result.issues));
      const body =
        outcomes.length === 1
          ? outcomes[0]
          : { resourceType: 'Bundle', type: 'collection', entry: results.map(({ file }, i) => ({ fullUrl: `file:${file}`, resource: outcomes[i] })) };
      io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      for (const { file, result } of results) io.stdout(formatText(file, result));
    }
    return results.every(({ result }) => result.ok) ? EXIT.ok : EXIT.findings;
  },
};
