import { isPlaceholder, isSecretName, urlPassword } from '../../src/model/secrets';

describe('isSecretName', () => {
  test.each(['SECRET_KEY', 'secret_key', 'DB_PASSWORD', 'API_TOKEN', 'STRIPE_API_KEY', 'client_secret', 'JWT_SECRET', 'password', 'AWS_ACCESS_KEY'])(
    'accepts %s',
    (name) => {
      expect(isSecretName(name)).toBe(true);
    },
  );

  test.each(['TOKEN_HEADER', 'PASSWORD_MIN_LENGTH', 'SECRET_KEY_FILE', 'DEBUG', 'MAX_CONTENT_LENGTH', 'passport', 'tokenizer', 'DATABASE_URL'])(
    'rejects %s',
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );
});

describe('urlPassword', () => {
  test('finds password', () => {
    expect(urlPassword('postgresql://app:hunter2@db:5432/app')).toBe('hunter2');
  });

  test.each(['postgresql://app@db/app', 'postgresql://app:${DB_PASSWORD}@db/app', 'redis://db:6379/0', 'https://example.com/a:b@c'])(
    'no password in %s',
    (url) => {
      expect(urlPassword(url)).toBeNull();
    },
  );
});

describe('isPlaceholder', () => {
  test.each(['${SECRET}', '$SECRET', '{password}', '%(password)s', '<password>', '***', ''])('placeholder %s', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  test('literal is not placeholder', () => {
    expect(isPlaceholder('hunter2')).toBe(false);
  });
});
