import { hasLiteralArguments, parseGunicornTarget } from '../../rules/system/gunicorn-target';

describe('parseGunicornTarget', () => {
  test('module and attribute', () => {
    expect(parseGunicornTarget('main:app')).toEqual({ module: 'main', attribute: 'app', callArguments: null, complexAttribute: false });
  });

  test('module alone means application', () => {
    expect(parseGunicornTarget('app.wsgi')?.attribute).toBe('application');
  });

  test('factory call', () => {
    expect(parseGunicornTarget('main:create_app("prod")')).toEqual({ module: 'main', attribute: 'create_app', callArguments: '"prod"', complexAttribute: false });
  });

  test('dotted attribute', () => {
    expect(parseGunicornTarget('main:app.wsgi_app')?.complexAttribute).toBe(true);
  });

  test('invalid module', () => {
    expect(parseGunicornTarget('./main.py:app')).toBeNull();
  });
});

describe('hasLiteralArguments', () => {
  test.each(['', '"prod"', "'prod', debug=False", '1, 2.5, None', 'config="x",'])('accepts %s', (text) => {
    expect(hasLiteralArguments(text)).toBe(true);
  });

  test.each(['os.environ["X"]', 'Config', 'f(1)', 'x=y'])('rejects %s', (text) => {
    expect(hasLiteralArguments(text)).toBe(false);
  });
});
