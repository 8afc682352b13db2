/**
 * `zicht`: dispatches to a subcommand. No stack trace ever reaches the user: a ZichtError prints
 * its message, anything else a generic line (ZICHT_DEBUG=1 shows the stack for developers).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZichtError } from '../errors.js';
import { EXIT, type Command, type ExitCode, type Io } from './command.js';
import { commands } from './commands/index.js';

function help(io: Io): void {
  const width = Math.max(...commands.map((c) => c.name.length));
  io.stdout(
    `usage: zicht <command> [options]\n\ncommands:\n${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\nzicht help <command> (or zicht <command> --help) shows a command's options; zicht --version the version. Exit codes: 0 ok, 1 findings, 2 usage or I/O error.\n`,
  );
}

/** This program's version: package.json's, found upwards from this file (src/ under tsx, dist/src/ when built). */
export function zichtVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'zicht' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not readable): look further up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Runs `zicht` with the given arguments (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = commands.find((c) => c.name === rest[0]);
    if (topic) io.stdout(topic.usage);
    else help(io);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`zicht ${zichtVersion()}\n`);
    return EXIT.ok;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`zicht: unknown command '${name}'; see 'zicht help'\n`);
    return EXIT.usage;
  }
  // `zicht CMD --help` (or -h) anywhere among its arguments: the command's usage, nothing run.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ZichtError) {
      io.stderr(`zicht ${command.name}: ${error.message} [${error.code}]\n`);
      if (error.code === 'ZICHT_USAGE') io.stderr(command.usage);
      return EXIT.usage;
    }
    io.stderr(`zicht ${command.name}: unexpected internal error${process.env.ZICHT_DEBUG === '1' && error instanceof Error ? `\n${error.stack ?? ''}` : ' (set ZICHT_DEBUG=1 for details)'}\n`);
    return EXIT.usage;
  }
}
