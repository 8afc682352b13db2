/**
 * The in-browser audit bundle check reads as strictly as the CLI (issue 21, BER-017): a bundle that names a member
 * twice is refused, with the same verdict and path as the project's strict reader (src/json/strict-json.ts), which
 * the browser code may not import. Each case is judged by both; a lax JSON.parse would pass the forged ones.
 */
import { describe, expect, it } from 'vitest';
import { checkBundle } from '../../src/console/bundle-check.js';
import { formatJsonPath, JsonError } from '../../src/errors.js';
import { parseStrictJson } from '../../src/json/strict-json.js';

/** The strict reader's verdict: the duplicate's path, or undefined. */
function strict(text: string): string | undefined {
  try {
    parseStrictJson(text);
    return undefined;
  } catch (error) {
    if (error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER') return formatJsonPath(error.path);
    throw error;
  }
}

const bundle = {
  format: 'zicht-audit-bundle/1',
  verifierKey: 'k+00000000+AAAA',
  checkpoint: 'origin\n1\nAAAA\n\n',
  selection: { complete: true, start: 0, end: 2 },
  entries: [
    { index: 0, leaf: '{"a":1,"a":2}', proof: [] },
    { index: 1, leaf: 'x', proof: ['AAAA'] },
  ],
};
const text = JSON.stringify(bundle);

const cases: readonly [string, string][] = [
  ['no duplicate (a duplicate inside a string value is text)', text],
  ['top level', text.replace('{"format":', '{"checkpoint":"forged\\n","format":')],
  ['top level, escaped name', text.replace('{"format":', '{"\\u0063heckpoint":"forged\\n","format":')],
  ['nested in selection', text.replace('"complete":true', '"complete":false,"complete":true')],
  ['in the second entry', text.replace('{"index":1,', '{"index":7,"index":1,')],
  ['a name that could be data', text.replace('"proof":[]}', '"proof":[],"123456":1,"123456":2}')],
  ['the same name in two objects', text.replace('"start":0', '"start":0,"x":{"start":1}')],
  ['whitespace around', text.replace('{"format":', '{ "format" : "a" ,\n "format":')],
];

describe('the browser bundle check refuses duplicate members as the strict reader does', () => {
  it.each(cases)('%s', async (_, t) => {
    const expected = strict(t);
    const result = await checkBundle(t, 'k+00000000+AAAA');
    const found = result.findings.find((f) => f.kind === 'duplicate-member');
    if (expected === undefined) {
      expect(found).toBeUndefined();
    } else {
      expect(result.ok).toBe(false);
      expect(result.findings).toHaveLength(1);
      expect(found?.message).toContain(`(${expected})`);
      expect(found?.message).toContain('BER-017');
    }
  });

  it('names the forged checkpoint a lax reader would have taken', async () => {
    const forged = text.replace('{"format":', '{"checkpoint":"forged\\n","format":');
    expect((JSON.parse(forged) as { checkpoint: string }).checkpoint).toBe(bundle.checkpoint);
    const { findings } = await checkBundle(forged, 'k+00000000+AAAA');
    expect(findings.map((f) => f.kind)).toEqual(['duplicate-member']);
    expect(findings[0]?.message).toContain('($.checkpoint)');
  });

  it('masks a name that could be data, as the strict reader\'s path does', async () => {
    const t = text.replace('"proof":[]}', '"proof":[],"123456":1,"123456":2}');
    expect(strict(t)).toBe("$.entries[0]['?']");
    expect((await checkBundle(t, 'k+00000000+AAAA')).findings[0]?.message).not.toContain('123456');
  });
});
