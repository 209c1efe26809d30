#!/usr/bin/env node
// Measures prodcheck on a generated corpus of services (see generate-corpus.mjs):
//
//   npm run bench -- [--systems 500] [--repetitions 5] [--large-systems 5000]
//                    [--large-repetitions 3] [--skip-large] [--skip-bandit] [--jobs N] [--json FILE]
//
// Each measurement runs a separate process several times and quotes the median: the parse floor
// (this script with --parse-floor: reading and parsing every file with prodcheck's parsers and
// nothing else, on one thread), prodcheck on the corpus (JSON output to a file), prodcheck with a
// warm --cache, bandit -r on the same tree when bandit is installed, prodcheck on one
// fixture-size system (start-up included), and prodcheck's peak memory on a corpus ten times
// larger. CPU time is user + system time of the process and its threads; peak memory is its
// maximum resident set size. Both come from GNU time (/usr/bin/time), or from Python's
// resource module when GNU time is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { defaultCorpusFolder, generateCorpus } from './generate-corpus.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');
const FIXTURE = path.join(ROOT, 'fixtures', 'production');

// ---------------------------------------------------------------------------------------------
// The parse floor, run as a child process of the benchmark

/**
 * Reads and parses every file prodcheck would parse under `folder`, with the same parsers, and
 * prints the count. It lets the event loop run after each file, as prodcheck does after each
 * system, so that tree-sitter can free the native memory of trees no longer used.
 */
async function parseFloor(folder) {
  const { classifyPath } = require(path.join(ROOT, 'dist', 'src', 'discovery.js'));
  const { parseRequirementsFile } = require(path.join(ROOT, 'dist', 'src', 'parsers', 'requirements.js'));
  const { createSourceFile } = require(path.join(ROOT, 'dist', 'src', 'source.js'));
  const Parser = require('tree-sitter');
  const Python = require('tree-sitter-python');
  const { DockerfileParser } = require('dockerfile-ast');
  const yaml = require('js-yaml');

  const python = new Parser();
  python.setLanguage(Python);
  const decoder = new TextDecoder('utf-8');
  let files = 0;
  let bytes = 0;

  const walk = async (relFolder) => {
    const entries = fs.readdirSync(path.join(folder, relFolder), { withFileTypes: true });
    for (const entry of entries) {
      const relPath = relFolder ? `${relFolder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) await walk(relPath);
        continue;
      }

      const kind = classifyPath(relPath);
      if (!kind || kind === 'shell' || kind === 'pyproject') continue;
      const buffer = fs.readFileSync(path.join(folder, relPath));
      const text = decoder.decode(buffer);
      files++;
      bytes += buffer.length;

      if (kind === 'python' || kind === 'gunicorn-config') python.parse(text);
      else if (kind === 'dockerfile') DockerfileParser.parse(text);
      else if (kind === 'requirements') parseRequirementsFile(createSourceFile(relPath, kind, text));
      else {
        try {
          yaml.loadAll(text, null, { schema: yaml.DEFAULT_SCHEMA });
        } catch {
          // A malformed document costs its parse time like any other; prodcheck reports it.
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  await walk('');
  process.stdout.write(`${files} files, ${bytes} bytes\n`);
}

// ---------------------------------------------------------------------------------------------
// Measuring a process

/** Finds how CPU time and peak memory of a child are measured here: GNU time, Python's resource module, or not at all. */
function findMeter() {
  if (fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0) return 'gnu-time';
  if (spawnSync('python3', ['-c', 'import resource']).status === 0) return 'python';
  return 'none';
}

const PYTHON_METER = [
  'import resource, subprocess, sys',
  'with open(sys.argv[2], "wb") as out:',
  '    code = subprocess.run(sys.argv[3:], stdout=out).returncode',
  'usage = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'open(sys.argv[1], "w").write("%f %f %d %d" % (usage.ru_utime, usage.ru_stime, usage.ru_maxrss, code))',
].join('\n');

/**
 * Runs a command once with its standard output written to `outputFile` and returns wall time,
 * CPU time (user + system, seconds) and peak resident memory (MB). Exit codes 0 and 1 count as
 * success, since linters exit with 1 when they find problems.
 */
function measureOnce(meter, command, args, outputFile) {
  const report = path.join(os.tmpdir(), `prodcheck-bench-${process.pid}.time`);
  let argv;
  if (meter === 'gnu-time') argv = ['/usr/bin/time', '-o', report, '-f', '%U %S %M %x', command, ...args];
  else if (meter === 'python') argv = ['python3', '-c', PYTHON_METER, report, outputFile, command, ...args];
  else argv = [command, ...args];

  const output = meter === 'python' ? 'ignore' : fs.openSync(outputFile, 'w');
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', output, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (typeof output === 'number') fs.closeSync(output);

  let cpu = null;
  let memory = null;
  let code = result.status;
  if (meter !== 'none') {
    const [user, system, maxRss, exitCode] = fs.readFileSync(report, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
    fs.rmSync(report, { force: true });
    cpu = user + system;
    memory = maxRss / 1024;
    code = exitCode;
  }
  if (code !== 0 && code !== 1) {
    throw new Error(`\`${[command, ...args].join(' ')}\` failed with exit code ${code}:\n${result.stderr.toString().slice(-2000)}`);
  }
  return { wall, cpu, memory };
}

/** Runs a command `repetitions` times and returns the median of each measure. */
function measure(meter, label, command, args, repetitions, outputFile = path.join(os.tmpdir(), 'prodcheck-bench-output')) {
  const runs = [];
  for (let i = 0; i < repetitions; i++) {
    runs.push(measureOnce(meter, command, args, outputFile));
    process.stderr.write(`  ${label}: run ${i + 1}/${repetitions}, ${runs[i].wall.toFixed(2)} s\n`);
  }
  return {
    label,
    command: [path.basename(command), ...args.map((arg) => (arg.startsWith(ROOT) ? path.relative(ROOT, arg) : arg))].join(' '),
    repetitions,
    wall: median(runs.map((run) => run.wall)),
    cpu: meter === 'none' ? null : median(runs.map((run) => run.cpu)),
    memory: meter === 'none' ? null : median(runs.map((run) => run.memory)),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

function parseArguments(argv) {
  const options = { systems: 500, repetitions: 5, largeSystems: 5000, largeRepetitions: 3, skipLarge: false, skipBandit: false, jobs: null, json: null, parseFloor: null };
  const numbers = { '--systems': 'systems', '--repetitions': 'repetitions', '--large-systems': 'largeSystems', '--large-repetitions': 'largeRepetitions', '--jobs': 'jobs' };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name in numbers) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number of 1 or more, not \`${argv[i]}\``);
      options[numbers[name]] = value;
    } else if (name === '--skip-large') options.skipLarge = true;
    else if (name === '--skip-bandit') options.skipBandit = true;
    else if (name === '--json') options.json = path.resolve(argv[++i] ?? '');
    else if (name === '--parse-floor') options.parseFloor = path.resolve(argv[++i] ?? '.');
    else throw new Error(`unknown option \`${name}\`; see the comment at the top of scripts/bench.mjs`);
  }
  return options;
}

function loadAverage() {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model,
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    load: loadAverage(),
  };
}

function banditVersion() {
  const result = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  return /bandit\s+(\S+)/.exec(result.stdout)?.[1] ?? 'unknown';
}

function corpus(systems) {
  const folder = defaultCorpusFolder(systems);
  const written = generateCorpus({ systems, out: folder });
  process.stderr.write(`corpus: ${written.systems} systems, ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB in ${folder}\n`);
  return { folder, ...written };
}

function format(result) {
  const cpu = result.cpu === null ? 'n/a' : `${result.cpu.toFixed(2)} s`;
  const memory = result.memory === null ? 'n/a' : `${result.memory.toFixed(0)} MB`;
  return `| ${result.label} | ${result.wall.toFixed(2)} s | ${cpu} | ${memory} | ${result.repetitions} |`;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.parseFloor) return parseFloor(options.parseFloor);

  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli.mjs'))) throw new Error('the build output is missing; run `npm run build` first');
  // Other jobs on the machine slow wall times down, so the load average is reported from the start and the end.
  const loadAtStart = loadAverage();
  const meter = findMeter();
  const node = process.execPath;
  const jobs = options.jobs ? ['--jobs', String(options.jobs)] : [];
  const results = {};

  const small = corpus(options.systems);
  results.parseFloor = measure(meter, 'parse floor (1 thread)', node, [fileURLToPath(import.meta.url), '--parse-floor', small.folder], options.repetitions);
  results.prodcheck = measure(meter, 'prodcheck', node, [BIN, small.folder, '--format', 'json', ...jobs], options.repetitions);
  results.prodcheckOneThread = measure(meter, 'prodcheck --jobs 1', node, [BIN, small.folder, '--format', 'json', '--jobs', '1'], options.repetitions);

  const cacheFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-bench-cache-'));
  measureOnce(meter, node, [BIN, small.folder, '--format', 'json', '--cache', '--cache-location', cacheFolder, ...jobs], path.join(os.tmpdir(), 'prodcheck-bench-output'));
  results.prodcheckWarmCache = measure(meter, 'prodcheck --cache, warm', node, [BIN, small.folder, '--format', 'json', '--cache', '--cache-location', cacheFolder, ...jobs], options.repetitions);
  fs.rmSync(cacheFolder, { recursive: true, force: true });

  const bandit = options.skipBandit ? null : banditVersion();
  if (bandit) results.bandit = measure(meter, `bandit ${bandit} -r`, 'bandit', ['-r', small.folder, '-f', 'json', '-q'], options.repetitions);
  results.fixture = measure(meter, 'prodcheck fixtures/production', node, [BIN, FIXTURE, '--format', 'json'], options.repetitions);

  if (!options.skipLarge) {
    const large = corpus(options.largeSystems);
    results.large = measure(meter, `prodcheck, ${options.largeSystems} systems`, node, [BIN, large.folder, '--format', 'json', ...jobs], options.largeRepetitions);
    results.large.corpus = { systems: large.systems, files: large.files, bytes: large.bytes };
  }

  const report = { machine: { ...machine(), loadAtStart }, meter, corpus: { systems: small.systems, files: small.files, bytes: small.bytes }, results };
  printReport(report);
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
}

function printReport({ machine: host, meter, corpus: small, results }) {
  const lines = [];
  lines.push(`Machine: ${host.cpu}, ${host.cores} cores, ${host.memory}, Node ${host.node}, ${host.os}; load average (1, 5, 15 minutes) ${host.loadAtStart} at the start and ${host.load} at the end`);
  lines.push(`Corpus: ${small.systems} systems, ${small.files} files, ${(small.bytes / 1e6).toFixed(1)} MB; CPU and memory measured with ${meter}`);
  lines.push('', '| run | wall (median) | CPU user+sys | peak RSS | runs |', '| --- | --- | --- | --- | --- |');
  for (const result of Object.values(results)) lines.push(format(result));

  const ratio = (a, b) => (a / b).toFixed(2);
  const cpuRatio = (a, b) => (a.cpu === null || b.cpu === null ? '' : `; CPU ${ratio(a.cpu, b.cpu)}`);
  lines.push('');
  lines.push(`prodcheck / parse floor (wall): ${ratio(results.prodcheck.wall, results.parseFloor.wall)} (target 1.5 or less${cpuRatio(results.prodcheck, results.parseFloor)})`);
  if (results.bandit) lines.push(`bandit / prodcheck (wall): ${ratio(results.bandit.wall, results.prodcheck.wall)} (target 6 or more${cpuRatio(results.bandit, results.prodcheck)})`);
  else lines.push('bandit / prodcheck: not measured (bandit is not installed; `apt-get install bandit`)');
  if (results.large && results.prodcheck.memory !== null) {
    lines.push(`peak memory ${results.large.corpus.systems} / ${small.systems} systems: ${ratio(results.large.memory, results.prodcheck.memory)} (target 2 or less)`);
  }
  lines.push(`one fixture-size system: ${results.fixture.wall.toFixed(2)} s wall, start-up included (target under 1 s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(2);
});
