import type Parser from 'tree-sitter';
import type { Location, SourceFile } from '../source';

/**
 * Everything prodcheck knows about one system. Built once from the parsed files; rules read it
 * and never re-parse.
 */
export interface SystemModel {
  /** Absolute path of the system root; empty for in-memory systems in tests. */
  root: string;
  files: SourceFile[];
  python: PythonModel;
  docker: DockerModel;
  gunicorn: GunicornModel;
  requirements: RequirementsModel;
  yaml: YamlModel;
}

/** A problem reading or parsing a file, reported as a finding of the `parse-error` rule. */
export interface ParseProblem {
  location: Location;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Python

/** A literal value read from Python source, or what is known about a value that is not literal. */
export type PyValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: Array<{ key: PyValue; value: PyValue }> }
  /** `os.environ.get(name, fallback)`, `os.getenv(name, fallback)` or `os.environ[name]`. */
  | { kind: 'env'; name: string | null; fallback: PyValue | null }
  | { kind: 'name'; name: string }
  | { kind: 'call'; callee: string; args: PyArgument[] }
  | { kind: 'unknown'; text: string };

export interface PyArgument {
  /** The keyword, or null for a positional argument. */
  name: string | null;
  value: PyValue;
  node: Parser.SyntaxNode;
  location: Location;
}

export interface PythonFunction {
  module: PythonModule;
  name: string;
  /** `Class.method` for methods, the plain name otherwise. */
  qualifiedName: string;
  className: string | null;
  isAsync: boolean;
  /** The whole definition, decorators excluded. */
  node: Parser.SyntaxNode;
  nameLocation: Location;
  parameters: string[];
  /** The function this one is nested in, null at module or class level. */
  parent: PythonFunction | null;
}

/** One imported module: `import a.b` and `from a.b import c` both give `a.b`. */
export interface PythonImport {
  /** The absolute dotted module name; relative imports are resolved against the importing module. */
  module: string;
  /** The names imported with `from ... import`, empty for plain `import`. */
  names: string[];
  /** True for `from . import x` and `from .mod import x`. */
  relative: boolean;
  location: Location;
}

export interface PythonModule {
  file: SourceFile;
  /** Dotted import name from the system root (`app.routes`), `__init__` folded into the package. */
  name: string;
  tree: Parser.Tree;
  /** Names bound at module level (definitions, classes, assignments, imports) and where. */
  topLevelNames: Map<string, Location>;
  functions: PythonFunction[];
  imports: PythonImport[];
  /** `if __name__ == "__main__":` blocks, as offset ranges. */
  mainGuards: Array<{ start: number; end: number }>;
}

export interface FlaskApp {
  module: PythonModule;
  /** The variable the `Flask(...)` result is bound to. */
  variable: string;
  /** The function that creates and returns the app, when it is created inside one. */
  factory: PythonFunction | null;
  /** The `Flask(...)` call. */
  location: Location;
}

export interface BlueprintRegistration {
  app: FlaskApp | null;
  parent: Blueprint | null;
  urlPrefix: string | null;
  location: Location;
}

export interface Blueprint {
  module: PythonModule;
  variable: string;
  name: string | null;
  urlPrefix: string | null;
  location: Location;
  registrations: BlueprintRegistration[];
}

export interface Route {
  /** The full path the app serves, prefixes joined. */
  path: string;
  /** The rule as written at the registration. */
  rule: string;
  methods: string[];
  app: FlaskApp | null;
  blueprint: Blueprint | null;
  handler: PythonFunction | null;
  location: Location;
  /** How the route is registered; an extension such as PrometheusMetrics registers its own. */
  source: 'decorator' | 'add_url_rule' | 'extension';
}

/** A call whose callee resolves to a known name (`flask_cors.CORS`) or a method on an app. */
export interface PythonCall {
  module: PythonModule;
  /** The dotted name the callee resolves to through imports, such as `werkzeug.middleware.proxy_fix.ProxyFix`. */
  callee: string;
  /** For method calls (`x.run()`), the text of the receiver (`x`). */
  receiver: string | null;
  /** The app the receiver resolves to, for calls such as `app.run()`. */
  receiverApp: FlaskApp | null;
  method: string | null;
  args: PyArgument[];
  node: Parser.SyntaxNode;
  location: Location;
  /** The innermost function the call is in, null at module level. */
  scope: PythonFunction | null;
  underMainGuard: boolean;
  /** The function of the system the call runs, when it resolves to one (methods included). */
  target: PythonFunction | null;
}

/**
 * An assignment to a name, attribute or subscript: `SECRET_KEY = ...`, `app.debug = ...`,
 * `app.config["DEBUG"] = ...`.
 */
export interface PythonAssignment {
  module: PythonModule;
  /** The innermost function the assignment is in, null at module or class level. */
  scope: PythonFunction | null;
  /** The class whose body contains the assignment, for class attributes such as config classes. */
  className: string | null;
  /** The assigned expression. */
  value: Parser.SyntaxNode;
  /** The left-hand side. */
  location: Location;
  /** The app the target belongs to: `app` for `app.debug`, `app.config[...]` and `app.wsgi_app`. */
  app: FlaskApp | null;
  /**
   * The target as a path: `["SECRET_KEY"]` for a name, `["debug"]` for `app.debug`, `["config", "DEBUG"]`
   * for `app.config["DEBUG"]`; keys that are not literals are `*`.
   */
  path: string[];
  /** The target's receiver as written (`app`, `self`), or null for a plain name. */
  receiver: string | null;
}

export interface PythonModel {
  modules: PythonModule[];
  assignments: PythonAssignment[];
  apps: FlaskApp[];
  blueprints: Blueprint[];
  routes: Route[];
  calls: PythonCall[];
  problems: ParseProblem[];
  /** Finds a module by dotted name. */
  moduleByName(name: string): PythonModule | undefined;
  /** Evaluates an expression of a module, following names to the value they are bound to. */
  valueOf(module: PythonModule, node: Parser.SyntaxNode): PyValue;
  /** Returns the class-level assignments of the class an expression refers to, such as a config class. */
  classAttributes(module: PythonModule, node: Parser.SyntaxNode): Map<string, Parser.SyntaxNode> | null;
  /** Returns the innermost function around a node of a module, null at module level. */
  functionAt(module: PythonModule, node: Parser.SyntaxNode): PythonFunction | null;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

/** A command as Docker runs it. Shell form becomes `/bin/sh -c <text>` in `argv`. */
export interface CommandSpec {
  form: 'exec' | 'shell';
  argv: string[];
  /** The instruction's arguments as written. */
  raw: string;
  /** The whole instruction. */
  location: Location;
  /** The arguments only. */
  argumentsLocation: Location;
  /**
   * Set when the arguments look like a JSON array but are not valid JSON, so Docker runs them
   * as shell form (`CMD ['gunicorn']`).
   */
  invalidJson: string | null;
  /** The stage the instruction is written in, which may be a parent of the target. */
  stage: DockerStage;
}

export interface HealthcheckSpec {
  /** `HEALTHCHECK NONE`. */
  none: boolean;
  command: CommandSpec | null;
  /** Option values as written (`--interval=10s` gives `interval: '10s'`). */
  options: Record<string, string>;
  location: Location;
  stage: DockerStage;
}

export interface DockerInstructionInfo {
  /** Upper-case keyword: `RUN`, `COPY`, `ENV`. */
  keyword: string;
  /** The arguments as written, continuations joined, heredoc bodies excluded. */
  text: string;
  location: Location;
  /** Heredoc bodies attached to the instruction, such as the script of `RUN <<EOF`. */
  heredocs: Array<{ name: string; body: string; location: Location }>;
}

export interface EnvValue {
  name: string;
  /** The value with `$VAR`/`${VAR}` references to earlier ARG and ENV values resolved; null when one is unknown. */
  value: string | null;
  raw: string;
  location: Location;
  stage: DockerStage;
  keyword: 'ENV' | 'ARG';
}

export interface DockerStage {
  index: number;
  /** The `AS` name, lower-cased, or null. */
  name: string | null;
  /** The image as written after `FROM`. */
  image: string;
  /** The image with ARG defaults resolved; null when an ARG has no default. */
  resolvedImage: string | null;
  /** The earlier stage this one is built `FROM`, if any. */
  parent: DockerStage | null;
  fromLocation: Location;
  instructions: DockerInstructionInfo[];
  /** Own values, not inherited. */
  user: { raw: string; resolved: string | null; location: Location } | null;
  cmd: CommandSpec | null;
  entrypoint: CommandSpec | null;
  healthcheck: HealthcheckSpec | null;
  env: EnvValue[];
  workdir: { path: string; location: Location } | null;
  expose: Array<{ port: number | null; raw: string; location: Location }>;
}

/** What the target stage runs with, its own instructions and what it inherits from parent stages. */
export interface EffectiveStage {
  stage: DockerStage;
  user: { raw: string; resolved: string | null; location: Location } | null;
  cmd: CommandSpec | null;
  entrypoint: CommandSpec | null;
  /** ENTRYPOINT and CMD combined as Docker combines them; null when there is neither. */
  command: string[] | null;
  healthcheck: HealthcheckSpec | null;
  /** ENV values in effect (ARG values are build-time only and not here), last one wins. */
  env: Map<string, EnvValue>;
  workdir: string | null;
  expose: Array<{ port: number | null; raw: string; location: Location }>;
  /** Every instruction of the stage and its parents, parents first. */
  instructions: DockerInstructionInfo[];
}

export interface DockerfileModel {
  file: SourceFile;
  stages: DockerStage[];
  /** The stage whose image runs: the last one, or the configured target. */
  target: EffectiveStage | null;
  /** `# escape=` directive value, default `\`. */
  escapeChar: string;
}

export interface DockerModel {
  dockerfiles: DockerfileModel[];
  /** The Dockerfile that builds the service: `Dockerfile` at the root if present, else the first found. */
  main: DockerfileModel | null;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------------------------------------
// Gunicorn

export type GunicornSettingSource = 'default' | 'config' | 'env' | 'command-line';

export interface GunicornSetting {
  name: string;
  /** The evaluated value when it is a literal or a known formula; `unknown` otherwise. */
  value: PyValue;
  source: GunicornSettingSource;
  /** Where it is set; null for defaults. */
  location: Location | null;
  /** The right-hand side of a config-file assignment, for rules that judge the expression. */
  node: Parser.SyntaxNode | null;
}

export interface GunicornInvocation {
  /** The command line, from the Dockerfile, an entrypoint script or a compose `command`. */
  argv: string[];
  /** The WSGI target as written: `main:app`, `main:create_app()`, or null when missing. */
  target: string | null;
  targetLocation: Location;
  configPath: string | null;
  /** Settings given as flags, with the location of the instruction that sets them. */
  flags: Map<string, GunicornSetting>;
  /** `--chdir` and WORKDIR applied: the folder, relative to the system root, that the target is imported from. */
  chdir: string | null;
  location: Location;
}

export interface GunicornModel {
  /** True when anything in the system runs or configures Gunicorn. */
  used: boolean;
  invocation: GunicornInvocation | null;
  configFile: SourceFile | null;
  /** Effective settings, by Gunicorn's precedence: env < config file < GUNICORN_CMD_ARGS < flags. */
  settings: Map<string, GunicornSetting>;
  /** Module-level names of the config file that are not Gunicorn settings (imports and helpers excluded). */
  unknownNames: Array<{ name: string; location: Location; suggestion: string | null }>;
  /** Syntax errors of the config file, which the Python model does not parse. */
  problems?: ParseProblem[];
}

// ---------------------------------------------------------------------------------------------
// Requirements

export interface Requirement {
  /** The PEP 503 normalised name: `flask-cors`. */
  name: string;
  /** The name as written. */
  rawName: string;
  extras: string[];
  /** The version specifier as written, `==2.3.3` or `>=2,<3`; empty when unconstrained. */
  specifier: string;
  /** The exact version for `==x` or `===x`, without wildcards. */
  pinnedVersion: string | null;
  hashes: string[];
  marker: string | null;
  editable: boolean;
  url: string | null;
  /** From a `-c` constraints file rather than a requirements file. */
  constraint: boolean;
  location: Location;
  /**
   * True when only development files declare it (`requirements-dev.txt`, `requirements/test.txt`,
   * pyproject optional dependencies and groups), so the production image does not install it.
   */
  development?: boolean;
}

export interface RequirementsModel {
  /** The files read, top-level files first, then includes. */
  files: SourceFile[];
  requirements: Requirement[];
  /** Where dependencies are declared: requirements files, pyproject.toml, or nowhere. */
  source: 'requirements' | 'pyproject' | 'none';
  problems: ParseProblem[];
  /** Finds the production requirements (not constraints, not development-only) for a name, normalised or not. */
  find(name: string): Requirement[];
  /** A lock file beside the `pyproject.toml` that was read (`poetry.lock`, `uv.lock`, `pdm.lock`), which pins what its ranges allow. */
  lockFile?: string | null;
}

// ---------------------------------------------------------------------------------------------
// YAML

/** A scalar or collection in a YAML document, with the location of its key and value. */
export interface YamlEntry {
  /** Keys from the document root, array indexes as numbers. */
  path: Array<string | number>;
  value: unknown;
  keyLocation: Location | null;
  valueLocation: Location;
  /**
   * The node's tag when it is not a standard YAML tag (`!Ref`, `!vault`, `!!python/object`). Such
   * nodes load as their untagged data, so `value` is what was written, not what the tag means.
   */
  tag?: string;
}

export interface YamlDocument {
  file: SourceFile;
  /** The loaded value (js-yaml, safe schema). */
  data: unknown;
  /** Every scalar entry of the document, for rules that look for keys anywhere. */
  entries: YamlEntry[];
  role: 'config' | 'compose' | 'kubernetes' | 'other';
}

export interface YamlModel {
  documents: YamlDocument[];
  problems: ParseProblem[];
}
