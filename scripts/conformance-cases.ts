/**
 * `npx tsx scripts/conformance-cases.ts --write` rewrites the case tables of conformance/README.md
 * from the cases; `--check` exits 1 when the README differs from them (test/conformance/readme.test.ts
 * runs the same check in CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withCaseTables } from '../conformance/table.js';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'conformance', 'README.md');
const mode = process.argv[2];
const onDisk = readFileSync(path, 'utf8');
const generated = withCaseTables(onDisk);

if (mode === '--write') {
  writeFileSync(path, generated);
  console.log('conformance: wrote the case tables of conformance/README.md');
} else if (mode === '--check') {
  if (generated !== onDisk) {
    console.error('conformance: the case tables of conformance/README.md differ from the cases; run `npx tsx scripts/conformance-cases.ts --write`');
    process.exitCode = 1;
  } else {
    console.log('conformance: the case tables of conformance/README.md match the cases');
  }
} else {
  console.error('usage: tsx scripts/conformance-cases.ts --write | --check');
  process.exitCode = 2;
}
