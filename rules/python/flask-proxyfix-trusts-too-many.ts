import { defineRule } from '../../src/rule';
import { PROXY_FIX_COUNTS, proxyFixCalls } from './proxyfix';

export default defineRule({
  meta: {
    id: 'flask-proxyfix-trusts-too-many',
    area: 'python',
    description: 'ProxyFix trusts more proxies than the service has',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      tooMany:
        '`{{name}}={{count}}` trusts {{count}} proxies, more than the {{trusted}} configured, so clients can spoof the value by sending the header themselves.',
    },
    docs: {
      whatItDoes:
        'Reads the `x_for`, `x_proto`, `x_host`, `x_port` and `x_prefix` counts of every `ProxyFix` call (keyword or positional) and reports counts above the number of trusted proxies, 1 unless the `trustedProxies` option says otherwise.',
      whyItMatters:
        'ProxyFix takes the n-th value from the right of each forwarded header. With a count above the real number of proxies, the left-most values come from the client, who can then choose the address, scheme or host the app believes in: IP allow-lists, rate limits and redirects become spoofable.',
      examples: {
        bad: {
          'main.py':
            'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=3, x_proto=1)\n',
        },
        good: {
          'main.py':
            'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n',
        },
      },
      useInstead: 'Set each count to the number of proxies that add the header, usually 1, and set the `trustedProxies` option when there really are more.',
      fixSafety: 'Unsafe: the fix lowers the count to the number of trusted proxies; when there really are more proxies, set the `trustedProxies` option instead.',
      options: '`trustedProxies` (number, default 1): the number of proxies in front of the service.',
    },
    optionsSchema: {
      trustedProxies: { type: 'integer', minimum: 0, description: 'The number of proxies in front of the service (default 1).' },
    },
  },
  check(model, context) {
    const option = context.options.trustedProxies;
    const trusted = typeof option === 'number' && option >= 0 ? option : 1;

    for (const call of proxyFixCalls(model)) {
      call.args.forEach((arg, index) => {
        const name = arg.name ?? PROXY_FIX_COUNTS[index - 1];
        if (!name || !PROXY_FIX_COUNTS.includes(name)) return;
        if (arg.value.kind !== 'literal' || typeof arg.value.value !== 'number') return;
        if (arg.value.value <= trusted) return;

        context.report({
          messageId: 'tooMany',
          data: { name, count: arg.value.value, trusted },
          location: arg.location,
          fix: {
            title: `Trust ${trusted} proxy for \`${name}\``,
            safety: 'unsafe',
            edits: [{ file: call.module.file.relPath, start: arg.node.startIndex, end: arg.node.endIndex, text: String(trusted) }],
          },
        });
      });
    }
  },
});
