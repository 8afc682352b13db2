import { readFileSync, readdirSync } from 'node:fs';
import { validateBericht, validateValue, trailOf, type Bericht } from './src/index.ts';
const dir = '/work/main/spec/v1/examples/';
const valid: Bericht[] = [];
for (const f of readdirSync(dir + 'valid')) {
  const r = validateBericht(readFileSync(dir + 'valid/' + f));
  console.log('VALID', f, r.ok, JSON.stringify(r.issues));
  if (r.value) valid.push(r.value);
}
const ctx = trailOf(valid);
for (const f of readdirSync(dir + 'valid')) {
  const r = validateBericht(readFileSync(dir + 'valid/' + f), { context: ctx });
  if (!r.ok || r.issues.length) console.log('VALID-CTX', f, JSON.stringify(r.issues));
}
for (const f of readdirSync(dir + 'invalid')) {
  const r = validateBericht(readFileSync(dir + 'invalid/' + f), { context: ctx });
  const ids = [...new Set(r.issues.filter(i => i.severity === 'error').map(i => i.rule))];
  const want = f.slice(0, 7);
  console.log(ids.length === 1 && ids[0] === want ? 'ok ' : 'BAD', f, JSON.stringify(r.issues));
}
