#!/usr/bin/env node
import { isExoError, type ExoError } from '@exosphere/common';
import { UsageError, type Command } from './command.js';
import { commands } from './commands/index.js';

/** Entry point of `exo`. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp(commands);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    console.log('exo 0.1.0');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`exo: unknown command '${name}'. Run 'exo help' for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nusage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`exo ${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (isExoError(error)) {
      console.error(`exo ${name}: ${described(error)} (${error.code})`);
      for (const detail of error.details ?? [])
        console.error(`  ${detail.path}: ${detail.errors.join('; ')}`);
      return 1;
    }
    console.error(`exo ${name}: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}

/**
 * An error's message with the ids it is about when the message leaves them out: Metronome's
 * not-found bodies keep a fixed message ("Job not found") and give the ids as their own keys.
 */
function described(error: ExoError): string {
  const id = error.data?.['id'];
  const job = error.data?.['jobSpec'];
  if (typeof id !== 'string' || error.message.includes(id)) return error.message;
  return typeof job === 'string'
    ? `${error.message}: job '${job}', run '${id}'`
    : `${error.message}: '${id}'`;
}

function printHelp(list: readonly Command[]): void {
  console.log('exo — the Exosphere command line\n\nusage: exo <command> [options]\n\ncommands:');
  for (const command of list) console.log(`  ${command.name.padEnd(12)} ${command.summary}`);
  console.log("\nRun 'exo <command> --help' for a command's options.");
}

process.exitCode = await main(process.argv.slice(2));
