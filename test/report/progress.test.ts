import { PROGRESS_DELAY_MS, ProgressLine, progressWanted } from '../../src/report/progress';

function fakeTerminal(isTTY = true) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('progress wanted', () => {
  test('terminal outside ci', () => {
    expect(progressWanted(fakeTerminal(), { TERM: 'xterm' })).toBe(true);
  });

  test.each([
    ['piped', fakeTerminal(false), {}],
    ['ci set', fakeTerminal(), { CI: 'true' }],
    ['dumb terminal', fakeTerminal(), { TERM: 'dumb' }],
  ])('none when %s', (_name, stream, env) => {
    expect(progressWanted(stream, env)).toBe(false);
  });

  test('ci false allows it', () => {
    expect(progressWanted(fakeTerminal(), { CI: 'false' })).toBe(true);
  });
});

describe('progress line', () => {
  test('silent for short runs', () => {
    const stream = fakeTerminal();
    let now = 0;
    const line = new ProgressLine(stream, () => now);
    now = PROGRESS_DELAY_MS - 1;
    line.update(3, 5);
    line.clear();

    expect(stream.written).toEqual([]);
  });

  test('drawn in place then cleared', () => {
    const stream = fakeTerminal();
    let now = 0;
    const line = new ProgressLine(stream, () => now);
    now = PROGRESS_DELAY_MS;
    line.update(120, 500);
    now += 10;
    line.update(121, 500);
    now += 200;
    line.update(122, 500);
    line.clear();

    expect(stream.written).toEqual(['\r\u001b[Kchecked 120/500 systems', '\r\u001b[Kchecked 122/500 systems', '\r\u001b[K']);
  });

  test('last system always drawn', () => {
    const stream = fakeTerminal();
    let now = 0;
    const line = new ProgressLine(stream, () => now);
    now = PROGRESS_DELAY_MS;
    line.update(499, 500);
    line.update(500, 500);

    expect(stream.written[stream.written.length - 1]).toBe('\r\u001b[Kchecked 500/500 systems');
  });
});
