import { ruleFindings } from '../helpers';

const RULE = 'python-secret-literal';
const APP = 'import os\nfrom flask import Flask\napp = Flask(__name__)\n';

function positions(source: string, path = 'main.py') {
  return ruleFindings(RULE, { [path]: source }).map(({ line, column }) => `${line}:${column}`);
}

describe(RULE, () => {
  test.each([
    ['module constant', 'SECRET_KEY = "s3cret"\n', '1:1'],
    ['config item', `${APP}app.config["SECRET_KEY"] = "s3cret"\n`, '4:1'],
    ['secret_key attribute', `${APP}app.secret_key = "s3cret"\n`, '4:1'],
    ['config update', `${APP}app.config.update(SECRET_KEY="s3cret")\n`, '4:19'],
    ['class attribute', 'class Config:\n    DB_PASSWORD = "hunter2"\n', '2:5'],
    ['environ fallback', `${APP}app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")\n`, '4:57'],
    ['getenv fallback keyword', 'import os\nTOKEN = os.getenv("API_TOKEN", default="abc")\n', '2:32'],
    ['or fallback', 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY") or "dev"\n', '2:14'],
    ['url with password', 'DATABASE_URL = "postgresql://app:hunter2@db:5432/app"\n', '1:16'],
    ['url fallback', 'import os\nURL = os.environ.get("DATABASE_URL", "postgresql://app:pw@db/app")\n', '2:38'],
  ])('reports %s', (_name, source, position) => {
    expect(positions(source)).toEqual([position]);
  });

  test.each([
    ['environ item', `${APP}app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]\n`],
    ['no fallback', 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY")\n'],
    ['empty fallback', 'import os\nSECRET_KEY = os.getenv("SECRET_KEY", "")\n'],
    ['placeholder', 'SECRET_KEY = "${SECRET_KEY}"\n'],
    ['descriptive name', 'TOKEN_HEADER = "Authorization"\nPASSWORD_MIN_LENGTH = 12\n'],
    ['url without password', 'DATABASE_URL = "postgresql://app@db/app"\n'],
    ['non-secret fallback', 'import os\nPORT = os.getenv("PORT", "8000")\n'],
    ['generated', 'import secrets\nSECRET_KEY = secrets.token_hex(32)\n'],
  ])('silent for %s', (_name, source) => {
    expect(positions(source)).toEqual([]);
  });

  test('silent in tests', () => {
    expect(positions('SECRET_KEY = "test"\n', 'tests/conftest.py')).toEqual([]);
  });

  test('message masks value', () => {
    const [finding] = ruleFindings(RULE, { 'main.py': 'URL = "postgresql://app:hunter2@db/app"\n' });
    expect(finding).toBeDefined();
  });
});
