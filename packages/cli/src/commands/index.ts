import type { Command } from '../command.js';
import { agentCommand } from './agent.js';
import { masterCommand } from './master.js';
import { upCommand } from './up.js';

/** Every `exo` command. */
export const commands: readonly Command[] = [upCommand, masterCommand, agentCommand];
