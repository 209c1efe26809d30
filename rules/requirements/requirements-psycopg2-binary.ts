import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'requirements-psycopg2-binary',
    area: 'requirements',
    description: 'Production requirements use the `psycopg2-binary` wheel',
    severity: 'info',
    fixable: 'none',
    messages: {
      binary: '`{{name}}` is a prebuilt wheel that psycopg\'s documentation advises against in production; build `psycopg2` from source instead.',
    },
    docs: {
      whatItDoes: 'Reports `psycopg2-binary` in production requirements; development files such as `requirements-dev.txt` are not checked.',
      whyItMatters:
        'The `psycopg2-binary` wheel bundles its own libpq and OpenSSL, which do not receive the operating system\'s security updates and can conflict with other libraries linked against the system\'s copies. psycopg\'s documentation recommends it for development and testing and the source package for production.',
      examples: {
        bad: { 'requirements.txt': 'flask==3.0.3\npsycopg2-binary==2.9.9\n' },
        good: { 'requirements.txt': 'flask==3.0.3\npsycopg2==2.9.9\n' },
      },
      useInstead:
        'Declare `psycopg2==2.9.9` and install `libpq-dev` and a compiler in a build stage, or move to psycopg 3 (`psycopg[c]`, or `psycopg[binary]` where the prebuilt wheel is acceptable).',
    },
  },
  check(model, context) {
    for (const requirement of model.requirements.find('psycopg2-binary')) {
      context.report({ messageId: 'binary', data: { name: requirement.rawName }, location: requirement.location });
    }
  },
});
