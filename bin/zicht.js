#!/usr/bin/env node
// The `zicht` command: a thin shell over the compiled CLI (built by `npm run build`, run on `npm ci`).
import process from 'node:process';
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
