import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The agent id lives in `<workDir>/agent-id`, generated at first start, so that a restarted
 * agent is the same agent to the master and re-attaches to its own tasks.
 */
export async function loadAgentId(workDir: string): Promise<string> {
  const path = join(workDir, 'agent-id');
  await mkdir(workDir, { recursive: true });
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing !== '') return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const agentId = `agent-${randomUUID()}`;
  try {
    await writeFile(path, agentId + '\n', { flag: 'wx' });
    return agentId;
  } catch (error) {
    // A concurrent start sharing the home won the race: its id is the agent's.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return (await readFile(path, 'utf8')).trim();
    }
    throw error;
  }
}
