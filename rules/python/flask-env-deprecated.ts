import { runtimeEnvironment } from '../../src/model/environment';
import { pinnedBelow } from '../../src/model/versions';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'flask-env-deprecated',
    area: 'python',
    description: '`FLASK_ENV` is set, but Flask 2.3 and later ignore it',
    severity: 'info',
    fixable: 'none',
    spansFiles: true,
    messages: {
      ignored: '`FLASK_ENV={{value}}` in the {{origin}} does nothing since Flask 2.3; debug mode is controlled by `FLASK_DEBUG` only.',
    },
    docs: {
      whatItDoes: 'Reports `FLASK_ENV` set in the Dockerfile or in a compose service\'s environment.',
      whyItMatters:
        'Flask deprecated `FLASK_ENV` in 2.2 and removed it in 2.3. Setting it suggests a mode switch that no longer exists: `FLASK_ENV=production` does not turn anything off, and `FLASK_ENV=development` no longer turns debug on, which surprises whoever reads the image.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nENV FLASK_ENV=production\nCMD ["gunicorn", "main:app"]\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nENV FLASK_DEBUG=0\nCMD ["gunicorn", "main:app"]\n',
        },
      },
      useInstead: 'Remove `FLASK_ENV`; use `FLASK_DEBUG` for debug mode and your own variable for other settings.',
      knownLimitations: 'When the requirements pin Flask older than 2.3, which still reads `FLASK_ENV`, the rule stays silent and `flask-debug-enabled` reports `FLASK_ENV=development`. An unpinned Flask is taken to be a current release.',
    },
  },
  check(model, context) {
    // Flask older than 2.3 still reads FLASK_ENV; `flask-debug-enabled` reports `development` there.
    if (pinnedBelow(model, 'flask', '2.3')) return;

    for (const setting of runtimeEnvironment(model)) {
      if (setting.name !== 'FLASK_ENV') continue;
      const origin = setting.origin === 'dockerfile' ? 'Dockerfile' : 'compose file';
      context.report({ messageId: 'ignored', data: { value: setting.value ?? '', origin }, location: setting.location });
    }
  },
});
