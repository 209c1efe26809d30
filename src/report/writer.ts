import { formatCheckstyle } from './checkstyle';
import { NO_COLORS, type Colors } from './colors';
import type { CiFormatContext, CiSystem } from './context';
import { STREAMED_FORMATS, type OutputFormat, type ReportDestination } from './destinations';
import { formatGithubAnnotations, formatGithubSummary } from './github';
import { formatGitlab } from './gitlab';
import { formatJsonEnd, formatJsonStart, formatJsonSystem } from './json';
import { formatJunit } from './junit';
import { formatSarif } from './sarif';
import { formatStylishSummary, formatStylishSystem, type HiddenFindings, type ReportedSystem } from './stylish';
import type { SeverityCounts } from './summary';

export interface ReportWriterOptions {
  destinations: readonly ReportDestination[];
  /** The styles of stylish output on standard output; stylish written to a file has none. */
  colors: Colors;
  toolVersion: string;
  /** Receives the text of the report that goes to standard output, as it is produced. */
  stdout: (text: string) => void;
  /** Builds the context of the CI formats; called once, when the first of them is formatted. */
  ciContext: () => CiFormatContext;
  /** The file that the `github` format appends its Markdown summary to (`$GITHUB_STEP_SUMMARY`). */
  githubStepSummary?: string;
}

/** The totals of a run, for the closing lines of stylish and JSON. */
export interface ReportTotals {
  /** Reported findings by severity, suppressed findings left out. */
  counts: SeverityCounts;
  hidden: HiddenFindings;
  /** Written by stylish in place of the summary line when no system was checked. */
  emptyNote?: string;
}

/** A report to write to a file once every system is checked. */
export interface FileReport {
  format: OutputFormat | 'github step summary';
  file: string;
  text: string;
  /** True for the GitHub step summary, which other steps append to as well. */
  append: boolean;
}

/**
 * Writes the reports of one run. Stylish and JSON on standard output are written system by system.
 * The CI formats need every system at once, so they are built in memory, as are all reports to
 * files, which `finish` returns.
 */
export class ReportWriter {
  private readonly streamed = new Map<ReportDestination, string>();
  private readonly systems: ReportedSystem[] = [];
  /** True when a report needs every system at once, so the systems are kept until `finish`. */
  readonly collecting: boolean;
  private systemCount = 0;

  constructor(private readonly options: ReportWriterOptions) {
    this.collecting = options.destinations.some((destination) => !STREAMED_FORMATS.has(destination.format));
  }

  start(): void {
    for (const destination of this.options.destinations) {
      if (destination.format === 'json') this.write(destination, formatJsonStart(this.options.toolVersion));
    }
  }

  /** Adds one system's findings, suppressed ones included; systems come in output order. */
  addSystem(system: ReportedSystem): void {
    const first = this.systemCount === 0;
    this.systemCount++;
    if (this.collecting) this.systems.push(system);

    for (const destination of this.options.destinations) {
      if (destination.format === 'json') this.write(destination, formatJsonSystem(system, first));
      else if (destination.format === 'stylish') this.write(destination, formatStylishSystem(system, this.colorsOf(destination)));
    }
  }

  /** Writes the end of the report on standard output and returns the reports that go to files. */
  finish(totals: ReportTotals): FileReport[] {
    const files: FileReport[] = [];
    let context: CiFormatContext | null = null;
    const ciContext = (): CiFormatContext => (context ??= this.options.ciContext());

    for (const destination of this.options.destinations) {
      if (destination.format === 'json') {
        this.write(destination, formatJsonEnd(totals.counts, this.systemCount > 0, totals.hidden.suppressed ?? 0));
      } else if (destination.format === 'stylish') {
        const colors = this.colorsOf(destination);
        const empty = this.systemCount === 0 && totals.emptyNote;
        this.write(destination, empty ? `${totals.emptyNote}\n` : formatStylishSummary(totals.counts, colors, totals.hidden));
      } else {
        this.write(destination, this.formatCi(destination.format, ciContext()));
      }

      if (destination.file !== null) files.push({ format: destination.format, file: destination.file, text: this.streamed.get(destination) ?? '', append: false });
    }

    const wantsSummary = this.options.destinations.some((destination) => destination.format === 'github');
    if (wantsSummary && this.options.githubStepSummary) {
      files.push({ format: 'github step summary', file: this.options.githubStepSummary, text: `${formatGithubSummary(this.systems, ciContext())}\n`, append: true });
    }
    return files;
  }

  private formatCi(format: OutputFormat, context: CiFormatContext): string {
    // Only SARIF can mark a finding as suppressed; the other formats leave suppressed findings out.
    // The context looks files up by system, so each copy is mapped back to the system it came from.
    const originals = new Map<CiSystem, ReportedSystem>();
    const active = this.systems.map((system) => {
      const copy = { ...system, findings: system.findings.filter((finding) => !finding.suppression) };
      originals.set(copy, system);
      return copy;
    });
    const activeContext: CiFormatContext = {
      ...context,
      fileText: (system, file) => context.fileText(originals.get(system) ?? system, file),
      checkedFiles: (system) => context.checkedFiles?.(originals.get(system) ?? system) ?? [],
    };

    switch (format) {
      case 'sarif':
        return formatSarif(this.systems, context);
      case 'github':
        return formatGithubAnnotations(active, activeContext);
      case 'gitlab':
        return formatGitlab(active, activeContext);
      case 'junit':
        return formatJunit(active, activeContext);
      case 'checkstyle':
        return formatCheckstyle(active, activeContext);
      default:
        throw new Error(`${format} is not a CI format`);
    }
  }

  private write(destination: ReportDestination, text: string): void {
    if (destination.file === null) this.options.stdout(text);
    else this.streamed.set(destination, (this.streamed.get(destination) ?? '') + text);
  }

  private colorsOf(destination: ReportDestination): Colors {
    return destination.file === null ? this.options.colors : NO_COLORS;
  }
}
