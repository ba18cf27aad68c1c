#!/usr/bin/env node
/**
 * The `grokdrive` command. Thin: each subcommand lives in bin/commands/<name>.ts and exports
 * `run(args: string[]): Promise<number>` (the exit code) and a one-line `summary`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

async function listCommands(): Promise<string[]> {
  const files = await readdir(commandsDir);
  return files
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.map'))
    .map((f) => f.replace(/\.(js|ts)$/, ''))
    .sort();
}

async function load(name: string): Promise<Command> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return (await import(join(commandsDir, name + ext))) as Command;
}

async function usage(): Promise<void> {
  const lines = ['usage: grokdrive <command> [options]', '', 'commands:'];
  for (const name of await listCommands()) lines.push(`  ${name.padEnd(10)} ${(await load(name)).summary}`);
  lines.push('', 'Run `grokdrive <command> --help` for the options of one command.');
  console.log(lines.join('\n'));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await usage();
    return name ? 0 : 1;
  }
  const names = await listCommands();
  if (!names.includes(name)) {
    console.error(`grokdrive: unknown command '${name}'. Commands: ${names.join(', ')}`);
    return 2;
  }
  return (await load(name)).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Errors reaching here are user-facing: print the message, not a stack, unless asked.
    const e = err as Error;
    console.error(`grokdrive: ${e?.message ?? String(err)}`);
    if (process.env.GROKDRIVE_DEBUG) console.error(e?.stack);
    process.exitCode = 1;
  },
);
