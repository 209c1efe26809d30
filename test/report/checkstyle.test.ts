import type { CiFinding } from '../../src/report/context';
import { formatCheckstyle } from '../../src/report/checkstyle';
import { findingOn, fixtureReport, SAMPLE_FILES, sampleContext, sampleFindings, sampleSystem } from './sample';
import { elementsNamed, parseXml } from './parse-xml';

describe('checkstyle', () => {
  test('exact sample output', () => {
    expect(formatCheckstyle([sampleSystem()], sampleContext())).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<checkstyle>',
        '  <file name="service/Dockerfile">',
        '    <error line="2" column="1" severity="info" message="`pip install` keeps its download cache in the image layer." source="prodcheck.dockerfile-pip-cache"/>',
        '  </file>',
        '  <file name="service/big.py">',
        '    <error line="1" column="1" severity="warning" message="`big.py` is 5 MiB, over the 4 MiB limit, so it was not read." source="prodcheck.file-skipped"/>',
        '  </file>',
        '  <file name="service/broken.py">',
        '    <error line="1" column="7" severity="error" message="`broken.py` does not parse: `def f(:` is invalid." source="prodcheck.parse-error"/>',
        '  </file>',
        '  <file name="service/gunicorn.conf.py"/>',
        '  <file name="service/main.py">',
        '    <error line="3" column="1" severity="warning" message="The app `app` serves no `/health` route." source="prodcheck.flask-health-route-missing"/>',
        '    <error line="4" column="1" severity="error" message="`app.run(debug=True)` runs when the module is imported." source="prodcheck.flask-dev-server"/>',
        '  </file>',
        '</checkstyle>',
        '',
      ].join('\n'),
    );
  });

  test('no files, empty document', () => {
    const context = sampleContext(SAMPLE_FILES, { checkedFiles: undefined });

    expect(formatCheckstyle([sampleSystem([])], context)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle>\n</checkstyle>\n');
  });

  test('suppressed findings left out', () => {
    const suppressed: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'external' } };
    const { root } = parseXml(formatCheckstyle([sampleSystem([suppressed])], sampleContext()));

    expect(elementsNamed(root!, 'error')).toEqual([]);
  });

  test('hostile message and path round-trip', () => {
    const files = { 'a "b" & <c>.py': 'x = 1\n' };
    const message = 'Value `"<&>"` with\ttab\nand \u0002 control';
    const finding = findingOn('a "b" & <c>.py', 'x', 'flask-dev-server', 'error', message, files['a "b" & <c>.py']);
    const { errors, root } = parseXml(formatCheckstyle([sampleSystem([finding])], sampleContext(files)));
    const file = elementsNamed(root!, 'file').find((element) => element.children.length > 0)!;

    expect(errors).toEqual([]);
    expect(file.attributes.name).toBe('service/a "b" & <c>.py');
    expect(elementsNamed(file, 'error')[0].attributes.message).toBe('Value `"<&>"` with\ttab\nand \\u0002 control');
  });

  test('dev-server fixture well-formed', () => {
    const { system, context } = fixtureReport('dev-server');
    const { errors, root } = parseXml(formatCheckstyle([system], context));
    const severities = new Set(elementsNamed(root!, 'error').map((error) => error.attributes.severity));

    expect(errors).toEqual([]);
    expect(elementsNamed(root!, 'error')).toHaveLength(system.findings.length);
    expect([...severities].sort()).toEqual(['error', 'info', 'warning']);
  });
});
