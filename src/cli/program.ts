/**
 * The `eneru` command line: verbs and flags of the original (core spec §11). Each verb lives in
 * its own module; this file only declares them and turns parse results into calls.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { readVersion } from '../app/version.js';
import { runValidate } from './validate.js';
import { startDaemon, type DaemonHandle, type RunOptions } from './run.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  attachSignals(handle: DaemonHandle): void;
}

export interface Program {
  run(argv: string[]): Promise<number>;
}

export function parsePort(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`port must be an integer, got '${value}'`);
  const port = Number(value);
  if (port < 1 || port > 65535)
    throw new InvalidArgumentError(`port must be in 1..65535, got ${port}`);
  return port;
}

export function buildProgram(io: CliIo): Program {
  const version = readVersion();
  let exitCode = 0;
  const program = new Command('eneru')
    .description('UPS monitoring and shutdown orchestration for Network UPS Tools')
    .version(`Eneru v${version}`, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .action(() => {
      program.outputHelp();
    });

  program
    .command('run')
    .description('monitor the configured UPSes and orchestrate shutdowns')
    .option('-c, --config <path>', 'configuration file (default /etc/ups-monitor/config.yaml)')
    .option('--dry-run', 'decide everything, execute no shutdown step')
    .option('--demo', 'monitor simulated UPSes on an embedded NUT server (always dry-run)')
    .option('--api', 'enable the HTTP API')
    .option('--api-bind <addr>', 'HTTP API bind address (implies --api)')
    .option('--api-port <port>', 'HTTP API port (implies --api)', parsePort)
    .option('--exit-after-shutdown', 'exit 0 once a shutdown sequence has completed')
    .action(async (opts: RunOptions) => {
      const scale = Number(io.env.ENERU_DEMO_PHASE_SCALE ?? '1');
      const handle = await startDaemon(opts, { ...io, demoPhaseScale: scale });
      io.attachSignals(handle);
      exitCode = await handle.stopped;
    });

  program
    .command('validate')
    .description('check a configuration file and print what it means')
    .option('-c, --config <path>', 'configuration file (default /etc/ups-monitor/config.yaml)')
    .action((opts: { config?: string }) => {
      exitCode = runValidate(opts, io);
    });

  program
    .command('version')
    .description('print the version')
    .action(() => {
      io.out(`Eneru v${version}`);
    });

  return {
    async run(argv: string[]): Promise<number> {
      exitCode = 0;
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (error) {
        if (error instanceof CommanderError) {
          const helpOrVersion = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
          return helpOrVersion.includes(error.code) ? 0 : 2;
        }
        throw error;
      }
      return exitCode;
    },
  };
}
