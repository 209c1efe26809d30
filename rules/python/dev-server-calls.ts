import type { PythonCall } from '../../src/model/types';

const RUN_SIMPLE = new Set(['werkzeug.serving.run_simple', 'werkzeug.run_simple']);

/** True for a call that starts the Werkzeug development server: `app.run(...)` on a Flask app, or `run_simple(...)`. */
export function isDevServerCall(call: PythonCall): boolean {
  if (RUN_SIMPLE.has(call.callee)) return true;
  return call.method === 'run' && call.receiverApp !== null;
}
