import type { CiFinding } from '../../src/report/context';
import { CLEAN_FILE_TEST_NAME, formatJunit } from '../../src/report/junit';
import { findingOn, fixtureReport, SAMPLE_FILES, sampleContext, sampleFindings, sampleSystem } from './sample';
import { elementsNamed, parseXml } from './parse-xml';

describe('junit', () => {
  test('exact sample output', () => {
    expect(formatJunit([sampleSystem()], sampleContext())).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="prodcheck" tests="6" failures="3" errors="2" skipped="0">',
        '  <testsuite name="service" tests="6" failures="3" errors="2" skipped="0">',
        '    <testcase name="dockerfile-pip-cache" classname="service/Dockerfile" file="service/Dockerfile">',
        '      <failure message="`pip install` keeps its download cache in the image layer." type="info">service/Dockerfile:2:1: info: `pip install` keeps its download cache in the image layer. (dockerfile-pip-cache)',
        'https://example.com/prodcheck/docs/rules/dockerfile-pip-cache.md</failure>',
        '    </testcase>',
        '    <testcase name="file-skipped" classname="service/big.py" file="service/big.py">',
        '      <error message="`big.py` is 5 MiB, over the 4 MiB limit, so it was not read." type="warning">service/big.py:1:1: warning: `big.py` is 5 MiB, over the 4 MiB limit, so it was not read. (file-skipped)</error>',
        '    </testcase>',
        '    <testcase name="parse-error" classname="service/broken.py" file="service/broken.py">',
        '      <error message="`broken.py` does not parse: `def f(:` is invalid." type="error">service/broken.py:1:7: error: `broken.py` does not parse: `def f(:` is invalid. (parse-error)</error>',
        '    </testcase>',
        '    <testcase name="all rules" classname="service/gunicorn.conf.py" file="service/gunicorn.conf.py"/>',
        '    <testcase name="flask-dev-server" classname="service/main.py" file="service/main.py">',
        '      <failure message="`app.run(debug=True)` runs when the module is imported." type="error">service/main.py:4:1: error: `app.run(debug=True)` runs when the module is imported. (flask-dev-server)',
        'https://example.com/prodcheck/docs/rules/flask-dev-server.md</failure>',
        '    </testcase>',
        '    <testcase name="flask-health-route-missing" classname="service/main.py" file="service/main.py">',
        '      <failure message="The app `app` serves no `/health` route." type="warning">service/main.py:3:1: warning: The app `app` serves no `/health` route. (flask-health-route-missing)',
        'https://example.com/prodcheck/docs/rules/flask-health-route-missing.md</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  test('one failure per finding', () => {
    const first = findingOn('main.py', 'app.run', 'flask-dev-server', 'error', 'First.');
    const second = findingOn('main.py', 'from flask', 'flask-dev-server', 'error', 'Second.');
    const { root } = parseXml(formatJunit([sampleSystem([first, second])], sampleContext()));
    const cases = elementsNamed(root!, 'testcase').filter((element) => element.attributes.name === 'flask-dev-server');

    expect(cases).toHaveLength(1);
    expect(elementsNamed(cases[0], 'failure').map((failure) => failure.attributes.message)).toEqual(['Second.', 'First.']);
    expect(root!.attributes.failures).toBe('1');
  });

  test('clean files pass', () => {
    const { root } = parseXml(formatJunit([sampleSystem([])], sampleContext()));
    const cases = elementsNamed(root!, 'testcase');

    expect(cases.map((element) => `${element.attributes.classname} ${element.attributes.name}`)).toEqual([
      `service/broken.py ${CLEAN_FILE_TEST_NAME}`,
      `service/Dockerfile ${CLEAN_FILE_TEST_NAME}`,
      `service/gunicorn.conf.py ${CLEAN_FILE_TEST_NAME}`,
      `service/main.py ${CLEAN_FILE_TEST_NAME}`,
    ].sort());
    expect(cases.every((element) => element.children.length === 0)).toBe(true);
    expect(root!.attributes).toEqual({ name: 'prodcheck', tests: '4', failures: '0', errors: '0', skipped: '0' });
  });

  test('without a file list only findings', () => {
    const context = sampleContext(SAMPLE_FILES, { checkedFiles: undefined });
    const { root } = parseXml(formatJunit([sampleSystem()], context));

    expect(elementsNamed(root!, 'testcase').map((element) => element.attributes.name)).not.toContain(CLEAN_FILE_TEST_NAME);
  });

  test('suppressed test case skipped', () => {
    const suppressed: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'inSource', justification: 'Local only.' } };
    const { root } = parseXml(formatJunit([sampleSystem([suppressed])], sampleContext()));
    const devServer = elementsNamed(root!, 'testcase').find((element) => element.attributes.name === 'flask-dev-server')!;

    expect(devServer.children.map((child) => [child.name, child.attributes.message])).toEqual([['skipped', 'suppressed: Local only.']]);
    expect(root!.attributes.skipped).toBe('1');
    expect(root!.attributes.failures).toBe('0');
  });

  test('test case names unique', () => {
    const { system, context } = fixtureReport('dev-server');
    const { errors, root } = parseXml(formatJunit([system], context));
    const keys = elementsNamed(root!, 'testcase').map((element) => `${element.attributes.classname}\u0000${element.attributes.name}`);

    expect(errors).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(elementsNamed(root!, 'failure')).toHaveLength(system.findings.length);
  });

  test('one suite per system', () => {
    const other = { displayRoot: 'worker', findings: [sampleFindings()[1]] };
    const { root } = parseXml(formatJunit([sampleSystem(), other], sampleContext()));
    const suites = elementsNamed(root!, 'testsuite');

    expect(suites.map((suite) => suite.attributes.name)).toEqual(['service', 'worker']);
    expect(elementsNamed(suites[1], 'testcase').map((element) => element.attributes.classname)).toContain('worker/main.py');
    expect(root!.attributes.tests).toBe(String(elementsNamed(root!, 'testcase').length));
  });

  test('hostile message stays well-formed', () => {
    const message = '<b>&amp;</b> "x" ]]> \u0000\u001b[0m \uD800 end';
    const finding = findingOn('main.py', 'app', 'flask-dev-server', 'error', message);
    const { errors, root } = parseXml(formatJunit([sampleSystem([finding])], sampleContext()));
    const failure = elementsNamed(root!, 'failure')[0];

    expect(errors).toEqual([]);
    expect(failure.attributes.message).toBe('<b>&amp;</b> "x" ]]> \\u0000\\u001B[0m \\uD800 end');
    expect(failure.text).toContain('<b>&amp;</b> "x" ]]>');
  });

  test('empty system', () => {
    const context = sampleContext(SAMPLE_FILES, { checkedFiles: () => [] });
    const output = formatJunit([sampleSystem([])], context);

    expect(output).toContain('  <testsuite name="service" tests="0" failures="0" errors="0" skipped="0"/>\n</testsuites>');
    expect(parseXml(output).errors).toEqual([]);
  });
});
