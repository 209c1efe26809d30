import * as path from 'node:path';

/** The output formats of a check run. */
export type OutputFormat = 'stylish' | 'json' | 'sarif' | 'github' | 'gitlab' | 'junit' | 'checkstyle';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['stylish', 'json', 'sarif', 'github', 'gitlab', 'junit', 'checkstyle'];

/** Formats written system by system as the checks finish; the others need every system at once. */
export const STREAMED_FORMATS: ReadonlySet<OutputFormat> = new Set(['stylish', 'json']);

/** One report of a run: its format, and the file it goes to, or `null` for standard output. */
export interface ReportDestination {
  format: OutputFormat;
  file: string | null;
}

/**
 * Parses the values of `--format`, each `FORMAT` (standard output) or `FORMAT:FILE`. The format is
 * the text before the first `:`, so a file name may contain colons (`sarif:C:\\out.sarif`).
 * Returns the destinations in the order given, or an error message when a format is unknown, a
 * file name is empty, two formats go to standard output or two go to the same file.
 */
export function parseDestinations(values: readonly string[]): { destinations: ReportDestination[] } | { error: string } {
  const destinations: ReportDestination[] = [];
  for (const value of values) {
    const colon = value.indexOf(':');
    const name = (colon < 0 ? value : value.slice(0, colon)).trim();
    const file = colon < 0 ? null : value.slice(colon + 1);

    if (!isOutputFormat(name)) {
      return { error: `--format \`${value}\` names an unknown format \`${name}\`; the formats are ${OUTPUT_FORMATS.join(', ')}, each optionally followed by \`:FILE\`.` };
    }
    if (file !== null && file.trim() === '') return { error: `--format \`${value}\` has no file name after \`:\`; write \`${name}:FILE\`, or \`${name}\` for standard output.` };
    destinations.push({ format: name, file });
  }

  const toStdout = destinations.filter((destination) => destination.file === null);
  if (toStdout.length > 1) {
    const names = toStdout.map((destination) => destination.format).join(' and ');
    return { error: `--format sends ${names} to standard output, but only one format can go there; write the others to files with \`FORMAT:FILE\`.` };
  }

  const seen = new Set<string>();
  for (const destination of destinations) {
    if (destination.file === null) continue;
    const file = path.normalize(destination.file);
    if (seen.has(file)) return { error: `--format writes two reports to \`${file}\`; give each report its own file.` };
    seen.add(file);
  }
  return { destinations };
}

function isOutputFormat(name: string): name is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(name);
}
