/** A stream the progress line is written to; `process.stderr` is one. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** The time a run takes before the progress line appears, in milliseconds; shorter runs show none. */
export const PROGRESS_DELAY_MS = 1000;

/** The shortest time between two redraws of the progress line, in milliseconds. */
const REDRAW_INTERVAL_MS = 100;

/**
 * Returns true when a progress line belongs on the stream: it is a terminal, the environment is
 * not a CI system (`CI` set to anything but `false` or empty) and the terminal is not `dumb`.
 */
export function progressWanted(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  if (!stream.isTTY) return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') return false;
  return env.TERM !== 'dumb';
}

/**
 * The line `checked 120/500 systems` on a terminal, overwritten in place. It appears once the run
 * has taken `PROGRESS_DELAY_MS`. `clear` removes it before other output and at the end, and the
 * next update draws it again.
 */
export class ProgressLine {
  private shown = '';
  private lastDraw = 0;
  private readonly startedAt: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  update(checked: number, total: number): void {
    const time = this.now();
    if (time - this.startedAt < PROGRESS_DELAY_MS) return;
    if (checked < total && time - this.lastDraw < REDRAW_INTERVAL_MS) return;

    this.lastDraw = time;
    this.draw(`checked ${checked}/${total} systems`);
  }

  /** Removes the line, so the next output starts at the beginning of an empty line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[K');
    this.shown = '';
  }

  private draw(text: string): void {
    this.stream.write(`\r\u001b[K${text}`);
    this.shown = text;
  }
}
