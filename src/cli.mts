import chalk, { Chalk } from 'chalk';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import runner from './run.js';
import colorsModule from './report/colors.js';
import versionModule from './version.js';
import type { Colors } from './report/colors.js';
import type { OutputFormat } from './run.js';
import type { Severity } from './rule.js';

const { runAsync, formatRuleList, defaultWorkerCount, OUTPUT_FORMATS } = runner;
const { NO_COLORS } = colorsModule;

function pickColors(colorFlag: boolean | undefined): Colors {
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  if (colorFlag === false || (colorFlag === undefined && noColorEnv)) return NO_COLORS;
  if (colorFlag !== true && !process.stdout.isTTY && !process.env.FORCE_COLOR) return NO_COLORS;

  const styled = colorFlag === true && chalk.level === 0 ? new Chalk({ level: 1 }) : chalk;
  return {
    red: (text) => styled.red(text),
    yellow: (text) => styled.yellow(text),
    blue: (text) => styled.blue(text),
    green: (text) => styled.green(text),
    dim: (text) => styled.dim(text),
    bold: (text) => styled.bold(text),
    underline: (text) => styled.underline(text),
  };
}

function write(stream: NodeJS.WriteStream, text: string): void {
  if (text) stream.write(text);
}

// Output is written system by system; a reader that stops early (`prodcheck . | head`) closes the
// pipe, and the rest of the output has nowhere to go.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

const parser = yargs(hideBin(process.argv))
  .scriptName('prodcheck')
  .usage('$0 [target]\n\nCheck a Flask + Gunicorn + Docker service folder against the production checklist.')
  .command('rules', 'List every rule with its default severity, fix safety and description', {}, (argv) => {
    write(process.stdout, formatRuleList(pickColors(argv.color as boolean | undefined)));
    process.exitCode = 0;
  })
  .command(
    '$0 [target]',
    'Check each system in the target folder (default: the current folder)',
    (command) => command.positional('target', { type: 'string', default: '.', describe: 'Folder to check, holding one system or several, or one file of a system' }),
    async (argv) => {
      const jobsText = argv.jobs as string | undefined;
      const jobs = jobsText === undefined ? undefined : Number(jobsText);
      if (jobs !== undefined && (!/^\d+$/.test(jobsText!.trim()) || jobs < 1)) {
        write(process.stderr, `prodcheck: --jobs must be a whole number of 1 or more, not \`${jobsText}\`.\nRun \`prodcheck --help\` for usage.\n`);
        process.exitCode = 2;
        return;
      }

      const result = await runAsync({
        target: argv.target as string,
        cwd: process.cwd(),
        format: argv.format as OutputFormat,
        failOn: argv['fail-on'] as Severity,
        colors: pickColors(argv.color as boolean | undefined),
        dockerTarget: argv['target-stage'] as string | undefined,
        fix: argv['unsafe-fixes'] && (argv.fix || argv.diff) ? 'unsafe' : argv.fix || argv.diff ? 'safe' : 'none',
        diff: argv.diff as boolean,
        jobs,
        cache: argv.cache as boolean,
        cacheLocation: argv['cache-location'] as string | undefined,
        output: { stdout: (text) => write(process.stdout, text), stderr: (text) => write(process.stderr, text) },
      });
      write(process.stdout, result.stdout);
      write(process.stderr, result.stderr);
      process.exitCode = result.exitCode;
    },
  )
  .option('format', { alias: 'f', choices: OUTPUT_FORMATS as OutputFormat[], default: 'stylish' as OutputFormat, describe: 'Output format' })
  .option('fail-on', { choices: ['error', 'warning', 'info'], default: 'error', describe: 'Lowest severity that makes the exit code 1' })
  .option('color', { type: 'boolean', describe: 'Force colors on (--color) or off (--no-color); NO_COLOR in the environment turns them off' })
  .option('fix', { type: 'boolean', default: false, describe: 'Apply safe fixes to the files, then report what remains' })
  .option('unsafe-fixes', { type: 'boolean', default: false, describe: 'With --fix or --diff, also apply fixes that may change behaviour' })
  .option('diff', { type: 'boolean', default: false, describe: 'Print the fixes as a unified diff and write nothing; exit 1 when there is a diff' })
  .option('target-stage', { type: 'string', describe: 'Dockerfile stage whose image runs (default: the last stage)' })
  .option('jobs', { alias: 'j', type: 'string', describe: `Worker threads that check systems when the target holds many (default: ${defaultWorkerCount()}, the CPUs available, at most 8); 1 checks them one after another on the main thread` })
  .option('cache', { type: 'boolean', default: false, describe: 'Keep the findings of each system and reuse them while its files are unchanged' })
  .option('cache-location', { type: 'string', describe: 'Folder of the cache (default: .prodcheck-cache in the checked folder)' })

  .example('$0 ./generated-system', 'Check one system and print findings')
  .example('$0 ./generated-system --format json > findings.json', 'Write findings as JSON')
  .example('$0 ./generated-system --diff', 'Show what --fix would change')
  .example('$0 ./generated-system --fix --unsafe-fixes', 'Rewrite the system until it is production-grade')
  .example('$0 ./services --jobs 4 --cache', 'Check every system under a folder on 4 threads, reusing findings of unchanged systems')
  .example('$0 rules', 'List the rules')
  .version(versionModule.toolVersion())
  .strict()
  .help()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`prodcheck: ${message}\nRun \`prodcheck --help\` for usage.\n`);
    process.exit(2);
  });

await parser.parseAsync();
