/** Every `zicht` subcommand, in the order `zicht help` lists them. */
import type { Command } from '../command.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [validateCommand];
