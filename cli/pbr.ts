import { ContractError } from '../shared/simulation/contract.ts';
import { RosterError } from '../shared/partnerships/roster-csv.ts';
import { InputError, runCommand, UsageError, type Command } from './command.ts';
import { backtestCommand } from './commands/backtest.ts';
import { priorCommand } from './commands/prior.ts';
import { demo } from './commands/demo.ts';
import { exportHours } from './commands/export-hours.ts';
import { generate } from './commands/generate.ts';
import { hours } from './commands/hours.ts';
import { reports } from './commands/reports.ts';
import { simulateCommand } from './commands/simulate.ts';
import { recalc, statement } from './commands/statements.ts';
import { token } from './commands/token.ts';
import { uploadContract, uploadRoster } from './commands/upload-input.ts';
import { stack } from './commands/stack.ts';
import { upload } from './commands/upload.ts';

const commands: Command[] = [hours, simulateCommand, stack, demo, upload, uploadContract, uploadRoster, exportHours, reports, recalc, statement, token, generate, backtestCommand, priorCommand];

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: pbr COMMAND [options]   (pbr COMMAND --help for details)',
    '',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
  ].join('\n');
}

/** Entry point of the `pbr` command line. */
async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`pbr: unknown command "${name}"\n\n${overview()}`);
    return 1;
  }
  try {
    return await runCommand(command, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pbr ${command.name}: ${error.message}\n(see pbr ${command.name} --help)\n`);
      return 1;
    }
    if (error instanceof ContractError || error instanceof RosterError || error instanceof InputError) {
      process.stderr.write(`pbr ${command.name}: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`pbr ${command.name}: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
