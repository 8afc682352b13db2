/** Every `zicht` subcommand, in the order `zicht help` lists them. */
import type { Command } from '../command.js';
import { backupCommand } from './backup.js';
import { conformanceCommand } from './conformance.js';
import { auditCommand } from './audit.js';
import { demoCommand } from './demo.js';
import { dossierCommand } from './dossier.js';
import { initCommand } from './init.js';
import { kekCommand } from './kek.js';
import { keysCommand } from './keys.js';
import { purgeCommand } from './purge.js';
import { sandboxCommand } from './sandbox.js';
import { serveCommand } from './serve.js';
import { signCommand } from './sign.js';
import { tokenCommand } from './token.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';
import { witnessCommand } from './witness.js';
import { zgwCommand } from './zgw.js';

export const commands: readonly Command[] = [validateCommand, keysCommand, signCommand, tokenCommand, verifyCommand, initCommand, serveCommand, demoCommand, sandboxCommand, conformanceCommand, auditCommand, dossierCommand, purgeCommand, kekCommand, backupCommand, witnessCommand, zgwCommand];
