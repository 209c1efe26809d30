import chalk, { Chalk } from 'chalk';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import runner from './run.js';
import colorsModule from './report/colors.js';
import progressModule from './report/progress.js';
import versionModule from './version.js';
import type { Colors } from './report/colors.js';
import type { OutputFormat } from './run.js';
import type { ProgressLine } from './report/progress.js';
import type { Severity } from './rule.js';

const { runAsync, formatRuleList, explainRuleId, parseDestinations, defaultWorkerCount, OUTPUT_FORMATS } = runner;
const { NO_COLORS } = colorsModule;

const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

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

/** The progress line on stderr, when stderr is a terminal outside CI; other output clears it first. */
let progress: ProgressLine | null = null;

function write(stream: NodeJS.WriteStream, text: string): void {
  if (!text) return;
  progress?.clear();
  stream.write(text);
}

/** Writes a usage error and sets exit code 2. */
function usageError(message: string): void {
  write(process.stderr, `prodcheck: ${message}\nRun \`prodcheck --help\` for usage.\n`);
  process.exitCode = 2;
}

/** Returns the values of an option that may be given more than once. */
function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Parses `--max-warnings`: a whole number of 0 or more, or undefined when the option is not given. */
function parseMaxWarnings(text: string | undefined): number | undefined | Error {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) return new Error(`--max-warnings must be a whole number of 0 or more, not \`${text}\`.`);
  return Number(text);
}

// Output is written system by system; a reader that stops early (`prodcheck . | head`) closes the
// pipe, and the rest of the output has nowhere to go.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

const parser = yargs(hideBin(process.argv))
  .scriptName('prodcheck')
  .usage('$0 [targets..]\n\nCheck Flask + Gunicorn + Docker service folders, or files of them, against the production checklist.')
  .command('rules', 'List every rule with its default severity, fix safety and description (--format json for JSON)', {}, (argv) => {
    const formats = listOf(argv.format);
    const format = formats.length === 0 ? 'stylish' : formats[0];
    if (formats.length > 1 || (format !== 'stylish' && format !== 'json')) {
      usageError(`\`prodcheck rules\` writes \`stylish\` or \`json\` to standard output, not \`${formats.join('`, `')}\`.`);
      return;
    }
    write(process.stdout, formatRuleList(pickColors(argv.color as boolean | undefined), format));
    process.exitCode = 0;
  })
  .command(
    '$0 [targets..]',
    'Check each system in the target folders, or the systems of the target files (default: the current folder)',
    (command) =>
      command.positional('targets', {
        type: 'string',
        array: true,
        describe: 'Folders to check, each containing one system or several, or files to check with the systems they belong to; files of kinds prodcheck does not read are ignored',
      }),
    async (argv) => {
      const jobsText = argv.jobs as string | undefined;
      const jobs = jobsText === undefined ? undefined : Number(jobsText);
      if (jobs !== undefined && (!/^\d+$/.test(jobsText!.trim()) || jobs < 1)) {
        usageError(`--jobs must be a whole number of 1 or more, not \`${jobsText}\`.`);
        return;
      }

      if (argv.explain !== undefined) {
        const ruleId = String(argv.explain).trim();
        if (ruleId === '') {
          usageError('--explain needs a rule id, such as `--explain flask-dev-server`; `prodcheck rules` lists them.');
          return;
        }
        const explained = explainRuleId(ruleId);
        if ('error' in explained) usageError(explained.error);
        else write(process.stdout, explained.page);
        return;
      }

      const maxWarnings = parseMaxWarnings(argv['max-warnings'] as string | undefined);
      if (maxWarnings instanceof Error) {
        usageError(maxWarnings.message);
        return;
      }

      const formats = listOf(argv.format);
      const parsed = parseDestinations(formats.length > 0 ? formats : ['stylish']);
      if ('error' in parsed) {
        usageError(parsed.error);
        return;
      }
      const outputFiles = parsed.destinations.filter((destination) => destination.file !== null) as Array<{ format: OutputFormat; file: string }>;
      const stdoutFormat = parsed.destinations.find((destination) => destination.file === null)?.format ?? null;
      if (argv.diff && outputFiles.length > 0) {
        usageError('--diff prints the fixes as a patch and writes no report, so it cannot be combined with `--format FORMAT:FILE`.');
        return;
      }
      if (argv.diff && stdoutFormat !== null && stdoutFormat !== 'stylish') {
        usageError(`--diff prints the fixes as a unified diff, so it cannot be combined with \`--format ${stdoutFormat}\`.`);
        return;
      }

      const failOn = argv['fail-on'] as string | undefined;
      if (failOn !== undefined && !SEVERITIES.includes(failOn)) {
        usageError(`--fail-on must be \`error\`, \`warning\` or \`info\`, not \`${failOn}\`.`);
        return;
      }

      if (progressModule.progressWanted(process.stderr, process.env)) progress = new progressModule.ProgressLine(process.stderr);

      const result = await runAsync({
        targets: (argv.targets as string[] | undefined) ?? [],
        cwd: process.cwd(),
        format: stdoutFormat,
        outputFiles,
        quiet: argv.quiet as boolean,
        maxWarnings,
        exitZero: argv['exit-zero'] as boolean,
        statistics: argv.statistics as boolean,
        githubStepSummary: process.env.GITHUB_STEP_SUMMARY || undefined,
        progress: (checked, total) => progress?.update(checked, total),
        failOn: failOn as Severity | undefined,
        colors: pickColors(argv.color as boolean | undefined),
        dockerTarget: argv['target-stage'] as string | undefined,
        fix: argv['unsafe-fixes'] && (argv.fix || argv.diff) ? 'unsafe' : argv.fix || argv.diff ? 'safe' : 'none',
        diff: argv.diff as boolean,
        jobs,
        cache: argv.cache as boolean,
        cacheLocation: argv['cache-location'] as string | undefined,
        configFile: argv.config as string | undefined,
        requireReason: argv['require-reason'] as boolean | undefined,
        baseline: argv.baseline as string | undefined,
        updateBaseline: argv['update-baseline'] as boolean | undefined,
        output: { stdout: (text) => write(process.stdout, text), stderr: (text) => write(process.stderr, text) },
      });
      progress?.clear();
      progress = null;
      write(process.stdout, result.stdout);
      write(process.stderr, result.stderr);
      process.exitCode = result.exitCode;
    },
  )
  .option('format', {
    alias: 'f',
    type: 'string',
    describe: `Output format: ${OUTPUT_FORMATS.join(', ')} (default: stylish). Add :FILE to write it to a file, and repeat the option for several reports; at most one goes to standard output`,
  })
  .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Report errors only; warnings and infos still count for --fail-on and --max-warnings' })
  .option('max-warnings', { type: 'string', describe: 'Exit 1 when more than this number of warnings is found (suppressed findings do not count)' })
  .option('exit-zero', { type: 'boolean', default: false, describe: 'Exit 0 even when findings would make the exit code 1; usage and internal errors still exit 2' })
  .option('statistics', { type: 'boolean', default: false, describe: 'After the report, print the number of findings of each rule' })
  .option('explain', { type: 'string', describe: 'Print the documentation page of a rule, by its id, and exit' })
  .option('fail-on', { type: 'string', describe: 'Lowest severity that makes the exit code 1 (default: `fail-on` in .prodcheck.yaml, else error)' })
  .option('color', { type: 'boolean', describe: 'Force colors on (--color) or off (--no-color); NO_COLOR in the environment turns them off' })
  .option('fix', { type: 'boolean', default: false, describe: 'Apply safe fixes to the files, then report what remains' })
  .option('unsafe-fixes', { type: 'boolean', default: false, describe: 'With --fix or --diff, also apply fixes that may change behaviour' })
  .option('diff', { type: 'boolean', default: false, describe: 'Print the fixes as a unified diff and write nothing; exit 1 when there is a diff' })
  .option('target-stage', { type: 'string', describe: 'Dockerfile stage whose image runs (default: the last stage)' })
  .option('jobs', { alias: 'j', type: 'string', describe: `Worker threads that check systems when the target holds many (default: ${defaultWorkerCount()}, the CPUs available, at most 8); 1 checks them one after another on the main thread` })
  .option('cache', { type: 'boolean', default: false, describe: 'Keep the findings of each system and reuse them while its files are unchanged' })
  .option('cache-location', { type: 'string', describe: 'Folder of the cache (default: .prodcheck-cache in the checked folder)' })
  .option('config', { type: 'string', describe: 'Configuration file for every system (default: for each system, the nearest .prodcheck.yaml in its folder or above it)' })
  .option('require-reason', { type: 'boolean', describe: 'Report suppression comments that give no reason after `--` (default: `require-reason` in .prodcheck.yaml, else off)' })
  .option('baseline', { type: 'string', describe: 'JSON file of accepted findings: those it lists are suppressed, and only new ones are reported' })
  .option('update-baseline', { type: 'boolean', describe: 'Write every current finding to the --baseline file and exit 0' })

  .example('$0 ./generated-system', 'Check one system and print findings')
  .example('$0 ./generated-system --format json > findings.json', 'Write findings as JSON')
  .example('$0 ./generated-system --diff', 'Show what --fix would change')
  .example('$0 ./generated-system --fix --unsafe-fixes', 'Rewrite the system until it is production-grade')
  .example('$0 ./services --jobs 4 --cache', 'Check every system under a folder on 4 threads, reusing findings of unchanged systems')
  .example('$0 ./svc --format sarif:prodcheck.sarif --format github', 'Write SARIF to a file and GitHub annotations to standard output')
  .example('$0 ./svc --format gitlab:gl-code-quality-report.json --format junit:prodcheck-junit.xml', 'Write GitLab Code Quality and JUnit reports, and nothing to standard output')
  .example('$0 ./svc --quiet', 'Show errors only')
  .example('$0 ./svc --max-warnings 0', 'Fail when there is any warning')
  .example('$0 ./svc --exit-zero --statistics', 'Report findings and a count per rule without failing the build')
  .example('$0 --explain flask-dev-server', 'Print the documentation page of a rule')
  .example('$0 ./svc --config ci/prodcheck.yaml', 'Check with a configuration file that is not in the target folder or above it')
  .example('$0 ./svc --baseline prodcheck-baseline.json --update-baseline', 'Accept every current finding into a baseline file')
  .example('$0 ./svc --baseline prodcheck-baseline.json', 'Report only findings that the baseline does not list')
  .example('$0 rules', 'List the rules')
  .example('$0 rules --format json', 'List the rules as JSON')
  .version(versionModule.toolVersion())
  .strict()
  .help()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`prodcheck: ${message}\nRun \`prodcheck --help\` for usage.\n`);
    process.exit(2);
  });

await parser.parseAsync();
