import chalk, { Chalk } from 'chalk';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import runner from './run.js';
import colorsModule from './report/colors.js';
import versionModule from './version.js';
import type { Colors } from './report/colors.js';
import type { OutputFormat } from './run.js';
import type { Severity } from './rule.js';

const { run, formatRuleList, OUTPUT_FORMATS } = runner;
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

const parser = yargs(hideBin(process.argv))
  .scriptName('prodcheck')
  .usage('$0 [target]\n\nCheck a Flask + Gunicorn + Docker service folder against the production checklist.')
  .command('rules', 'List every rule with its default severity, fix safety and description', {}, (argv) => {
    write(process.stdout, formatRuleList(pickColors(argv.color as boolean | undefined)));
    process.exitCode = 0;
  })
  .command(
    '$0 [target]',
    'Check the system in the target folder (default: the current folder)',
    (command) => command.positional('target', { type: 'string', default: '.', describe: 'Folder of the system to check, or one file of it' }),
    (argv) => {
      const result = run({
        target: argv.target as string,
        cwd: process.cwd(),
        format: argv.format as OutputFormat,
        failOn: argv['fail-on'] as Severity,
        colors: pickColors(argv.color as boolean | undefined),
        dockerTarget: argv['target-stage'] as string | undefined,
        fix: argv['unsafe-fixes'] && (argv.fix || argv.diff) ? 'unsafe' : argv.fix || argv.diff ? 'safe' : 'none',
        diff: argv.diff as boolean,
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
  .example('$0 ./generated-system', 'Check one system and print findings')
  .example('$0 ./generated-system --format json > findings.json', 'Write findings as JSON')
  .example('$0 ./generated-system --diff', 'Show what --fix would change')
  .example('$0 ./generated-system --fix --unsafe-fixes', 'Rewrite the system until it is production-grade')
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
