import { parseDestinations } from '../../src/report/destinations';

describe('parse destinations', () => {
  test('format alone goes to stdout', () => {
    expect(parseDestinations(['github'])).toEqual({ destinations: [{ format: 'github', file: null }] });
  });

  test('format with file', () => {
    expect(parseDestinations(['sarif:out/prodcheck.sarif', 'github'])).toEqual({
      destinations: [
        { format: 'sarif', file: 'out/prodcheck.sarif' },
        { format: 'github', file: null },
      ],
    });
  });

  test('file name keeps later colons', () => {
    expect(parseDestinations(['junit:C:\\reports\\junit.xml'])).toEqual({ destinations: [{ format: 'junit', file: 'C:\\reports\\junit.xml' }] });
  });

  test('every format accepted', () => {
    const result = parseDestinations(['stylish', 'json:a', 'sarif:b', 'github:c', 'gitlab:d', 'junit:e', 'checkstyle:f']);

    expect('destinations' in result && result.destinations.map((destination) => destination.format)).toEqual(['stylish', 'json', 'sarif', 'github', 'gitlab', 'junit', 'checkstyle']);
  });

  test.each([
    [['xml'], 'unknown format `xml`'],
    [['sarif:'], 'has no file name after `:`'],
    [['sarif:  '], 'has no file name after `:`'],
    [['json', 'github'], 'sends json and github to standard output'],
    [['sarif:a.out', 'junit:./a.out'], 'writes two reports to `a.out`'],
    [['', 'json'], 'unknown format ``'],
  ])('rejects %j', (values, message) => {
    const result = parseDestinations(values);

    expect(result).toEqual({ error: expect.stringContaining(message) });
  });
});
