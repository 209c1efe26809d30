import { renderProbe, requestTimeout } from '../../rules/dockerfile/probe';
import { createdUsers } from '../../rules/dockerfile/users';
import {
  attachedCommentStart,
  insertLinesAfter,
  insertLinesBefore,
  readIntendedExecForm,
  renderExecForm,
  spanHasComment,
  systemFolderOf,
  userCreationCommand,
} from '../../src/fix/dockerfile-edits';
import { buildModel } from '../../src/model/build';
import type { EffectiveStage } from '../../src/model/types';
import { createSourceFile } from '../../src/source';
import { systemFromMemory } from '../../src/system';

function targetOf(files: Record<string, string>): { target: EffectiveStage; files: ReturnType<typeof buildModel>['files'] } {
  const model = buildModel(systemFromMemory(files));
  return { target: model.docker.main!.target!, files: model.files };
}

describe('renderExecForm', () => {
  test('strict json on one line', () => {
    const text = renderExecForm(['sh', '-c', 'echo "a\\b"\nexit']);
    expect(text).toBe('["sh", "-c", "echo \\"a\\\\b\\"\\nexit"]');
    expect(JSON.parse(text)).toEqual(['sh', '-c', 'echo "a\\b"\nexit']);
  });
});

describe('readIntendedExecForm', () => {
  test.each([
    ["['gunicorn', 'app:app']", ['gunicorn', 'app:app']],
    ['["gunicorn", "app:app",]', ['gunicorn', 'app:app']],
    ['["gunicorn" "app:app"]', ['gunicorn', 'app:app']],
    ['[gunicorn, 8000]', ['gunicorn', '8000']],
    ['[\u201Cgunicorn\u201D, \u2018app:app\u2019]', ['gunicorn', 'app:app']],
    ['["grep", "\\d+", "\\u00e9\\t"]', ['grep', '\\d+', '\u00e9\t']],
    ["['it\\'s']", ["it's"]],
  ])('reads %s', (text, words) => {
    expect(readIntendedExecForm(text)).toEqual(words);
  });

  test.each([['["gunicorn, "app:app"]'], ['["a",, "b"]'], ['[]'], ['gunicorn app:app'], ["['a']x"]])('rejects %s', (text) => {
    expect(readIntendedExecForm(text)).toBeNull();
  });
});

describe('line insertion', () => {
  const file = createSourceFile('Dockerfile', 'dockerfile', 'FROM x\r\nCMD y');

  test('before a line', () => {
    expect(insertLinesBefore(file, 10, ['USER 1'])).toEqual({ file: 'Dockerfile', start: 8, end: 8, text: 'USER 1\n' });
  });

  test('after a crlf line', () => {
    expect(insertLinesAfter(file, 6, ['ENV A=1'])).toEqual({ file: 'Dockerfile', start: 8, end: 8, text: 'ENV A=1\n' });
  });

  test('after the last line without line break', () => {
    expect(insertLinesAfter(file, 13, ['USER 1', 'X'])).toEqual({ file: 'Dockerfile', start: 13, end: 13, text: '\nUSER 1\nX' });
  });
});

describe('attachedCommentStart', () => {
  const text = 'RUN a\n\n# one\n# two\nCMD b\n';

  test('includes comment block', () => {
    expect(attachedCommentStart(text, text.indexOf('CMD'), 5)).toBe(text.indexOf('# one'));
  });

  test('stops at floor', () => {
    expect(attachedCommentStart(text, text.indexOf('CMD'), text.indexOf('# two'))).toBe(text.indexOf('# two'));
  });

  test('crlf lines', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    expect(attachedCommentStart(crlf, crlf.indexOf('CMD'), 5)).toBe(crlf.indexOf('# one'));
  });
});

describe('spanHasComment', () => {
  const file = createSourceFile('Dockerfile', 'dockerfile', 'CMD a \\\n  # note\n  b');

  test('finds comment line', () => {
    expect(spanHasComment(file, 4, file.text.length)).toBe(true);
  });

  test('ignores hash inside a line', () => {
    expect(spanHasComment(file, 0, 6)).toBe(false);
  });
});

describe('systemFolderOf', () => {
  test.each([
    ['root copied to workdir', 'FROM python\nWORKDIR /app\nCOPY . .\n', '/app', ''],
    ['folder copied', 'FROM python\nCOPY src/ /app/\n', '/app', 'src'],
    ['subfolder of copy', 'FROM python\nCOPY . /srv\n', '/srv/src', 'src'],
    ['later copy wins', 'FROM python\nCOPY . /app\nCOPY src /app\n', '/app', 'src'],
    ['no workdir', 'FROM python\nCOPY . .\n', '/', ''],
  ])('%s', (_name, dockerfile, folder, expected) => {
    const { target, files } = targetOf({ Dockerfile: dockerfile, 'src/main.py': '' });
    expect(systemFolderOf(target, files, folder)).toBe(expected);
  });

  test.each([
    ['not copied', 'FROM python\nCOPY . /srv\n', '/app'],
    ['file copy only', 'FROM python\nCOPY main.py /app/\n', '/app'],
    ['copy from stage', 'FROM python AS a\nFROM python\nCOPY --from=a /src /app\n', '/app'],
    ['variable destination', 'FROM python\nARG DEST=/app\nCOPY . $DEST\n', '/app'],
  ])('null when %s', (_name, dockerfile, folder) => {
    const { target, files } = targetOf({ Dockerfile: dockerfile, 'src/main.py': '' });
    expect(systemFolderOf(target, files, folder)).toBeNull();
  });
});

describe('userCreationCommand', () => {
  test('debian', () => {
    expect(userCreationCommand('useradd', 10001, 'app')).toBe('useradd --create-home --uid 10001 app');
  });

  test('alpine', () => {
    expect(userCreationCommand('busybox-adduser', 10001, 'app')).toBe('adduser -D -u 10001 app');
  });
});

describe('createdUsers', () => {
  test('names and uids', () => {
    const { target } = targetOf({
      Dockerfile: 'FROM python\nARG ID=42\nRUN groupadd -g 7 g && useradd -m -g g -s /bin/sh --uid $ID web\nRUN adduser -D -h /home/x -u 9 x\nRUN useradd -u 0 root2 && useradd plain\n',
    });
    expect(createdUsers(target.instructions).map(({ name, uid }) => ({ name, uid }))).toEqual([
      { name: 'web', uid: '42' },
      { name: 'x', uid: '9' },
      { name: 'plain', uid: null },
    ]);
  });
});

describe('probe', () => {
  test('renders json', () => {
    const words = JSON.parse(renderProbe('python', 8080, '/health', 4));
    expect(words).toEqual([
      'python',
      '-c',
      "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4).status == 200 else 1)",
    ]);
  });

  test.each([
    [undefined, 4],
    ['3s', 2],
    ['1m30s', 4],
    ['1500ms', 1],
    ['soon', 4],
  ])('request timeout for %s', (option, seconds) => {
    expect(requestTimeout(option)).toBe(seconds);
  });
});
