import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyPath, describeError, isInside, readListedFile, readSystemFile, type ListedFile, type SkippedFile } from './discovery';
import type { Colors } from './report/colors';
import { FILE_PROBLEM_DESCRIPTIONS, type CiFormatContext, type CiSystem } from './report/context';
import type { OutputFormat, ReportDestination } from './report/destinations';
import { findRepositoryRoot, projectLinks } from './report/links';
import { formatStatistics } from './report/statistics';
import { addCounts, type ReportedFinding, type ReportedSystem } from './report/stylish';
import type { SeverityCounts } from './report/summary';
import { ReportWriter, type FileReport } from './report/writer';
import { SEVERITY_RANK, type Rule, type Severity } from './rule';
import { toolVersion } from './version';

/** The options of a run that decide what is reported, where it goes and the exit code. */
export interface ReportOptions {
  cwd: string;
  /** The format written to standard output, or null when every report goes to a file. */
  format: OutputFormat | null;
  /** Reports written to files, with paths relative to `cwd`, once every system is checked. */
  outputFiles?: ReadonlyArray<{ format: OutputFormat; file: string }>;
  failOn: Severity;
  colors: Colors;
  /** Report errors only; warnings and infos are left out of the output but still decide the exit code. */
  quiet?: boolean;
  /** Exit 1 when more unsuppressed warnings than this are found. */
  maxWarnings?: number;
  /** Write the number of findings of each rule after the report. */
  statistics?: boolean;
  /** The file that the `github` format appends its Markdown summary to; the CLI passes `$GITHUB_STEP_SUMMARY`. */
  githubStepSummary?: string;
  /** Called after each system is reported, with the number reported so far and the number of systems. */
  progress?: (checked: number, total: number) => void;
}

/** One checked system: where it is, what was listed in it, and which files' findings are shown. */
export interface CheckedSystem {
  /** The system root as the output shows it: relative to the working folder, or absolute outside it. */
  displayRoot: string;
  /** Absolute path of the system root. */
  root: string;
  /** Absolute path of the folder the system may read files in. */
  boundary: string;
  files: readonly ListedFile[];
  skipped: readonly SkippedFile[];
  /** Absolute paths of the named files whose findings are shown; null when all are. */
  onlyFiles: ReadonlySet<string> | null;
}

/** What the rest of the run needs from the report. */
export interface ReportOutcome {
  exitCode: 0 | 1 | 2;
  safeFixes: number;
  unsafeFixes: number;
}

interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Collects the findings of a run system by system and writes every report the options ask for:
 * stylish or JSON on standard output as each system arrives, files and the CI formats at the end.
 * Suppressed findings are counted apart and decide nothing; `--quiet` leaves warnings and infos
 * out of every report but not out of the exit code.
 */
export class RunReport {
  private readonly writer: ReportWriter;
  private readonly systems = new Map<CiSystem, CheckedSystem>();
  private readonly counts: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  private readonly hiddenByQuiet = { warnings: 0, infos: 0 };
  private readonly shownFindings: ReportedFinding[] = [];
  private readonly texts = new Map<string, string | undefined>();
  private suppressed = 0;
  private activeWarnings = 0;
  private failing = false;
  private safeFixes = 0;
  private unsafeFixes = 0;
  private reported = 0;
  private systemCount = 0;
  /** The listed folder of the first system; the repository root is the nearest folder at or above it that holds `.git`. */
  private repositoryFolder: string | undefined;

  constructor(
    private readonly options: ReportOptions,
    private readonly sink: Sink,
    private readonly loadRules: () => readonly Rule[],
    private readonly total: number,
  ) {
    this.writer = new ReportWriter({
      destinations: reportDestinations(options),
      colors: options.colors,
      toolVersion: toolVersion(),
      stdout: (text) => sink.stdout(text),
      ciContext: () => this.ciContext(),
      githubStepSummary: options.githubStepSummary,
    });
    this.writer.start();
  }

  /**
   * Adds one system's findings, in output order. A system with no file at all (an empty target
   * folder) is left out of the report, so JSON lists no system for it.
   */
  addSystem(system: CheckedSystem, findings: readonly ReportedFinding[]): void {
    this.reported++;
    if (system.files.length > 0 || system.skipped.length > 0 || findings.length > 0) {
      const shown = this.options.quiet ? findings.filter((finding) => finding.severity === 'error') : [...findings];
      this.count(findings, shown);

      // Stylish and JSON need no system after writing it, so systems are kept only for the CI formats.
      const reported: ReportedSystem = { displayRoot: system.displayRoot, findings: shown };
      this.systemCount++;
      this.repositoryFolder ??= system.boundary;
      if (this.writer.collecting) this.systems.set(reported, system);
      this.writer.addSystem(reported);
    }
    this.options.progress?.(this.reported, this.total);
  }

  /** Writes the end of every report and the files, then `--statistics`, and returns the exit code. */
  finish(): ReportOutcome {
    const emptyNote = this.systemCount === 0 ? 'No files to check, so no problems found.' : undefined;
    const files = this.writer.finish({ counts: this.counts, hidden: { suppressed: this.suppressed, quiet: this.options.quiet ? this.hiddenByQuiet : undefined }, emptyNote });
    const written = files.map((file) => this.writeFile(file)).every(Boolean);

    if (this.options.statistics) {
      const statistics = formatStatistics(this.shownFindings, this.ruleDescriptions()) || '\nFindings by rule: none.\n';
      if (this.options.format === 'stylish') this.sink.stdout(statistics);
      else this.sink.stderr(statistics);
    }

    const maxWarnings = this.options.maxWarnings;
    const tooManyWarnings = maxWarnings !== undefined && this.activeWarnings > maxWarnings;
    if (tooManyWarnings) {
      const found = this.activeWarnings === 1 ? '1 warning' : `${this.activeWarnings} warnings`;
      this.sink.stderr(`prodcheck: ${found} found, more than the ${maxWarnings} that --max-warnings allows.\n`);
    }

    let exitCode: 0 | 1 | 2 = 0;
    if (!written) exitCode = 2;
    else if (this.failing || tooManyWarnings) exitCode = 1;
    return { exitCode, safeFixes: this.safeFixes, unsafeFixes: this.unsafeFixes };
  }

  private count(findings: readonly ReportedFinding[], shown: readonly ReportedFinding[]): void {
    const active = findings.filter((finding) => !finding.suppression);
    this.failing ||= active.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[this.options.failOn]);
    this.activeWarnings += active.filter((finding) => finding.severity === 'warning').length;

    const shownActive = shown.filter((finding) => !finding.suppression);
    addCounts(this.counts, shownActive);
    this.suppressed += shown.length - shownActive.length;
    if (this.options.statistics) this.shownFindings.push(...shownActive);
    this.safeFixes += shownActive.filter((finding) => finding.fix?.safety === 'safe').length;
    this.unsafeFixes += shownActive.filter((finding) => finding.fix?.safety === 'unsafe').length;
    if (this.options.quiet) {
      this.hiddenByQuiet.warnings += active.filter((finding) => finding.severity === 'warning').length;
      this.hiddenByQuiet.infos += active.filter((finding) => finding.severity === 'info').length;
    }
  }

  /** Writes a report file, creating its folder; a failure is reported on stderr and returns false. */
  private writeFile(report: FileReport): boolean {
    const file = path.resolve(this.options.cwd, report.file);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (report.append) fs.appendFileSync(file, report.text);
      else fs.writeFileSync(file, report.text);
      return true;
    } catch (error) {
      this.sink.stderr(`prodcheck: cannot write the ${report.format} report to \`${report.file}\`: ${describeWriteError(error)}.\n`);
      return false;
    }
  }

  private ciContext(): CiFormatContext {
    const links = projectLinks();
    return {
      rules: this.loadRules(),
      toolVersion: toolVersion(),
      cwd: this.options.cwd,
      repositoryRoot: findRepositoryRoot(this.repositoryFolder ?? this.options.cwd, this.options.cwd),
      fileText: (system, file) => this.fileText(system, file),
      checkedFiles: (system) => this.checkedFiles(system),
      failOn: this.options.failOn,
      ...links,
    };
  }

  /**
   * Reads and decodes a file of a system the way discovery did, on first request. A file the
   * system listed is read as listed; one it reached through an include (`-r ../common.txt`) is read
   * only inside the system's boundary, as the system's loader reads it.
   */
  private fileText(system: CiSystem, file: string): string | undefined {
    const checked = this.systems.get(system as ReportedSystem);
    if (!checked) return undefined;

    const key = `${checked.root}\u0000${file}`;
    if (this.texts.has(key)) return this.texts.get(key);

    let text: string | undefined;
    const listed = checked.files.find((entry) => entry.relPath === file);
    if (listed) {
      const read = readListedFile(checked.root, listed);
      text = 'text' in read ? read.text : undefined;
    } else if (!path.isAbsolute(file) && isInside(checked.boundary, path.join(checked.root, file))) {
      const read = readSystemFile(checked.root, file, classifyPath(file) ?? 'requirements', checked.boundary);
      text = 'text' in read ? read.text : undefined;
    }
    this.texts.set(key, text);
    return text;
  }

  private checkedFiles(system: CiSystem): readonly string[] {
    const checked = this.systems.get(system as ReportedSystem);
    if (!checked) return [];

    const files = checked.files.map((file) => file.relPath);
    const onlyFiles = checked.onlyFiles;
    return onlyFiles === null ? files : files.filter((file) => onlyFiles.has(path.join(checked.root, file)));
  }

  private ruleDescriptions(): Map<string, string> {
    const descriptions = new Map(Object.entries(FILE_PROBLEM_DESCRIPTIONS));
    for (const rule of this.loadRules()) descriptions.set(rule.meta.id, rule.meta.description);
    return descriptions;
  }
}

/** Returns the reports of a run: the one on standard output first, then the files in the order given. */
export function reportDestinations(options: Pick<ReportOptions, 'format' | 'outputFiles'>): ReportDestination[] {
  const destinations: ReportDestination[] = options.format === null ? [] : [{ format: options.format, file: null }];
  for (const output of options.outputFiles ?? []) destinations.push({ format: output.format, file: output.file });
  return destinations;
}

/** Describes why a report file could not be written, naming the case where a file is in the place of one of its folders. */
function describeWriteError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a part of its folder path is a file, not a folder';
  return describeError(error);
}
