import { productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, SystemModel } from '../../src/model/types';

const PROXY_FIX = new Set(['werkzeug.middleware.proxy_fix.ProxyFix', 'werkzeug.contrib.fixers.ProxyFix']);

/** The keyword arguments of ProxyFix in positional order after the wrapped app. */
export const PROXY_FIX_COUNTS = ['x_for', 'x_proto', 'x_host', 'x_port', 'x_prefix'];

export function proxyFixCalls(model: SystemModel): PythonCall[] {
  return productionCalls(model).filter((call) => PROXY_FIX.has(call.callee));
}
