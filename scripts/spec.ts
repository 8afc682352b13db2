/**
 * `npm run spec:build` writes the generated spec files; `npm run spec:check` regenerates them in
 * memory and exits 1 on any difference from the files on disk (including a stale extra schema).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSpecFiles } from '../src/spec/files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2];
const files = generatedSpecFiles();

if (mode === '--write') {
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  console.log(`spec: wrote ${files.size} files`);
} else if (mode === '--check') {
  const drift: string[] = [];
  for (const [path, content] of files) {
    let onDisk: string | undefined;
    try {
      onDisk = readFileSync(join(root, path), 'utf8');
    } catch {
      onDisk = undefined;
    }
    if (onDisk !== content) drift.push(onDisk === undefined ? `${path} (missing)` : path);
  }
  for (const name of readdirSync(join(root, 'spec/v1/schemas'))) {
    if (!files.has(`spec/v1/schemas/${name}`)) drift.push(`spec/v1/schemas/${name} (not generated any more)`);
  }
  if (drift.length > 0) {
    console.error(`spec: generated files differ from the model; run \`npm run spec:build\`:\n  ${drift.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`spec: ${files.size} generated files match the model`);
  }
} else {
  console.error('usage: spec.ts --write | --check');
  process.exitCode = 2;
}
