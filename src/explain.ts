import { renderRulePage } from './docs';
import { FILE_PROBLEM_DESCRIPTIONS } from './report/context';
import type { Rule } from './rule';

/**
 * Returns the page of a rule for `--explain`: the Markdown that `docs/rules/<id>.md` holds, rendered
 * from the rule's metadata so it needs no docs folder. `parse-error` and `file-skipped`, which the
 * engine reports for files it could not parse or read, get a short page. An unknown id returns an
 * error that suggests the nearest id.
 */
export function explainRule(id: string, rules: readonly Rule[]): { page: string } | { error: string } {
  const rule = rules.find((candidate) => candidate.meta.id === id);
  if (rule) return { page: renderRulePage(rule) };

  const fileProblem = FILE_PROBLEM_DESCRIPTIONS[id];
  if (fileProblem) return { page: `# ${id}\n\n${fileProblem}.\n\nprodcheck reports it itself, not a rule: the rules that read the file it names did not check it. Fix the file so that it can be read and parsed.\n` };

  const ids = [...rules.map((candidate) => candidate.meta.id), ...Object.keys(FILE_PROBLEM_DESCRIPTIONS)];
  const nearest = nearestId(id, ids);
  const suggestion = nearest ? ` Did you mean \`${nearest}\`?` : '';
  return { error: `\`${id}\` is not a rule id.${suggestion} Run \`prodcheck rules\` to list the rules.` };
}

/**
 * Returns the id closest to `input` by edit distance, or null when even the closest needs more
 * edits than a third of its length, where a suggestion would be a guess.
 */
export function nearestId(input: string, ids: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const id of ids) {
    const distance = editDistance(input.toLowerCase(), id);
    if (distance < bestDistance) {
      best = id;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

/** Returns the Levenshtein distance: the fewest insertions, deletions and substitutions that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
