/**
 * `zicht`: dispatches to a subcommand. No stack trace ever reaches the user: a ZichtError prints
 * its message, anything else a generic line (ZICHT_DEBUG=1 shows the stack for developers).
 */
import { ZichtError } from '../errors.js';
import { EXIT, type Command, type ExitCode, type Io } from './command.js';
import { commands } from './commands/index.js';

function help(io: Io): void {
  const width = Math.max(...commands.map((c) => c.name.length));
  io.stdout(
    `usage: zicht <command> [options]\n\ncommands:\n${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\nzicht help <command> shows a command's options. Exit codes: 0 ok, 1 findings, 2 usage or I/O error.\n`,
  );
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
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`zicht: unknown command '${name}'; see 'zicht help'\n`);
    return EXIT.usage;
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
