import type { FlaskApp, PythonCall, PythonModule, Route, SystemModel } from './types';

/** Matches paths of test code, whose apps and literals are not production code. */
const TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;

/** Whether each module is test code, kept because rules ask once per call or assignment of a module. */
const testModules = new WeakMap<PythonModule, boolean>();

export function isTestModule(module: PythonModule): boolean {
  let isTest = testModules.get(module);
  if (isTest === undefined) {
    isTest = TEST_PATH.test(module.file.relPath);
    testModules.set(module, isTest);
  }
  return isTest;
}

/** Returns the Flask apps that production code creates, test code excluded. */
export function productionApps(model: SystemModel): FlaskApp[] {
  return model.python.apps.filter((app) => !isTestModule(app.module));
}

/** Returns the calls of production code, test code excluded. */
export function productionCalls(model: SystemModel): PythonCall[] {
  return model.python.calls.filter((call) => !isTestModule(call.module));
}

/** Returns the routes an app serves, including those of blueprints registered on it. */
export function routesOf(model: SystemModel, app: FlaskApp): Route[] {
  return model.python.routes.filter((route) => route.app === app);
}

/** Returns the calls made on an app (`app.run()`, `app.register_error_handler()`), or on any app when none is given. */
export function appMethodCalls(model: SystemModel, method: string, app?: FlaskApp): PythonCall[] {
  return productionCalls(model).filter(
    (call) => call.method === method && call.receiverApp !== null && (app === undefined || call.receiverApp === app),
  );
}

/**
 * Returns the Python module a container command starts directly (`python main.py`, `python -m app.main`),
 * or null when the command runs something else.
 */
export function moduleStartedByCommand(model: SystemModel, argv: string[] | null, workdir: string | null): PythonModule | null {
  if (!argv || argv.length === 0) return null;

  const words = argv.length >= 3 && /(^|\/)(ba)?sh$/.test(argv[0]) && argv[1] === '-c' ? splitWords(argv[2]) : argv;
  const start = words[0] === 'exec' ? 1 : 0;
  if (!/(^|\/)python[\d.]*$/.test(words[start] ?? '')) return null;

  for (let index = start + 1; index < words.length; index++) {
    const word = words[index];
    if (word === '-m') return model.python.moduleByName(words[index + 1] ?? '') ?? null;
    if (word.startsWith('-')) continue;
    return moduleForScript(model, word, workdir);
  }
  return null;
}

function moduleForScript(model: SystemModel, script: string, workdir: string | null): PythonModule | null {
  const absolute = script.startsWith('/') ? script : `${(workdir ?? '/').replace(/\/+$/, '')}/${script}`;
  const segments = absolute.split('/').filter((segment) => segment && segment !== '.');

  // The source folder inside the image is unknown, so the longest matching path suffix wins.
  for (let skip = 0; skip < segments.length; skip++) {
    const candidate = segments.slice(skip).join('/');
    const module = model.python.modules.find((entry) => entry.file.relPath === candidate);
    if (module) return module;
  }
  return null;
}

/** Splits a shell command into words, honouring quotes and backslashes; variables stay literal. */
function splitWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let hasWord = false;

  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      hasWord = true;
    } else if (char === '\\' && i + 1 < command.length) {
      current += command[++i];
      hasWord = true;
    } else if (/\s/.test(char) || char === ';' || char === '&' || char === '|') {
      if (hasWord) words.push(current);
      current = '';
      hasWord = false;
    } else {
      current += char;
      hasWord = true;
    }
  }
  if (hasWord) words.push(current);
  return words;
}
