import type { Command } from '../command.js';
import { agentCommand } from './agent.js';
import { apiCommand } from './api.js';
import { appCommand } from './app.js';
import { applicationCommand } from './application.js';
import { deploymentCommand } from './deployment.js';
import { gatewayCommand } from './gateway.js';
import { jobCommand } from './job.js';
import { masterCommand } from './master.js';
import { nodeCommand } from './node.js';
import { queueCommand } from './queue.js';
import { sqlCommand } from './sql.js';
import { subscriptionCommand } from './subscription.js';
import { taskCommand } from './task.js';
import { upCommand } from './up.js';

/** Every `exo` command. */
export const commands: readonly Command[] = [
  upCommand,
  masterCommand,
  agentCommand,
  appCommand,
  taskCommand,
  jobCommand,
  deploymentCommand,
  nodeCommand,
  queueCommand,
  gatewayCommand,
  apiCommand,
  applicationCommand,
  subscriptionCommand,
  sqlCommand,
];
