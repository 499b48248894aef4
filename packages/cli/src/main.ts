#!/usr/bin/env node
import { isExoError } from '@exosphere/common';
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
      console.error(`exo ${name}: ${error.message} (${error.code})`);
      for (const detail of error.details ?? [])
        console.error(`  ${detail.path}: ${detail.errors.join('; ')}`);
      return 1;
    }
    console.error(`exo ${name}: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}

function printHelp(list: readonly Command[]): void {
  console.log('exo — the Exosphere command line\n\nusage: exo <command> [options]\n\ncommands:');
  for (const command of list) console.log(`  ${command.name.padEnd(12)} ${command.summary}`);
  console.log("\nRun 'exo <command> --help' for a command's options.");
}

process.exitCode = await main(process.argv.slice(2));
