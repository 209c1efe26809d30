/**
 * Gunicorn's settings: the name a config file assigns, the default, and the command-line flags.
 * The list follows `gunicorn/config.py` of Gunicorn 23, plus the settings that the release notes
 * of Gunicorn 24 to 26 name (ASGI worker, HTTP/2, control socket, dirty arbiters).
 */

/** The kind of value a setting takes, as Gunicorn validates it. */
export type GunicornSettingType = 'string' | 'int' | 'bool' | 'list' | 'dict' | 'class' | 'hook';

export interface GunicornSettingInfo {
  name: string;
  type: GunicornSettingType;
  /** The default value; `null` for Python's `None`, or for a default Gunicorn computes at start (`chdir`, `user`). */
  default: string | number | boolean | null | string[] | Record<string, string>;
  /** When set, the default is read from this environment variable first (`workers` reads `WEB_CONCURRENCY`). */
  defaultEnv?: string;
  /** Command-line flags, short ones first; empty for settings only a config file can set. */
  flags: string[];
  /** False for flags that take no value (`--reload`, `--preload`, `--no-sendfile`). */
  takesValue: boolean;
  /** The value a flag without a value stores: `true` for most, `false` for `--no-sendfile`. */
  flagValue?: boolean;
  /** Repeating the flag adds to a list (`-b a -b b`). */
  repeatable?: boolean;
  /** The Gunicorn version that added the setting, for settings newer than 23. */
  since?: string;
}

const HOOK_NAMES = [
  'on_starting',
  'on_reload',
  'when_ready',
  'pre_fork',
  'post_fork',
  'post_worker_init',
  'worker_int',
  'worker_abort',
  'pre_exec',
  'pre_request',
  'post_request',
  'child_exit',
  'worker_exit',
  'nworkers_changed',
  'on_exit',
  'ssl_context',
];

/** Server hooks added with the dirty arbiters of Gunicorn 25. */
const DIRTY_HOOK_NAMES = ['on_dirty_starting', 'dirty_post_fork', 'dirty_worker_init', 'dirty_worker_exit'];

function option(
  name: string,
  flags: string[],
  type: GunicornSettingType,
  defaultValue: GunicornSettingInfo['default'],
  extra: Partial<GunicornSettingInfo> = {},
): GunicornSettingInfo {
  return { name, type, default: defaultValue, flags, takesValue: true, ...extra };
}

function flag(name: string, flags: string[], extra: Partial<GunicornSettingInfo> = {}): GunicornSettingInfo {
  return { name, type: 'bool', default: false, flags, takesValue: false, flagValue: true, ...extra };
}

function hook(name: string, since?: string): GunicornSettingInfo {
  return { name, type: 'hook', default: null, flags: [], takesValue: false, ...(since ? { since } : {}) };
}

export const GUNICORN_SETTINGS: readonly GunicornSettingInfo[] = [
  // Config file
  option('config', ['-c', '--config'], 'string', './gunicorn.conf.py'),
  option('wsgi_app', [], 'string', null),

  // Debugging
  flag('reload', ['--reload']),
  option('reload_engine', ['--reload-engine'], 'string', 'auto'),
  option('reload_extra_files', ['--reload-extra-file'], 'list', [], { repeatable: true }),
  flag('spew', ['--spew']),
  flag('check_config', ['--check-config']),
  flag('print_config', ['--print-config']),

  // Logging
  option('accesslog', ['--access-logfile'], 'string', null),
  flag('disable_redirect_access_to_syslog', ['--disable-redirect-access-to-syslog']),
  option('access_log_format', ['--access-logformat'], 'string', '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'),
  option('errorlog', ['--error-logfile', '--log-file'], 'string', '-'),
  option('loglevel', ['--log-level'], 'string', 'info'),
  flag('capture_output', ['--capture-output']),
  option('logger_class', ['--logger-class'], 'class', 'gunicorn.glogging.Logger'),
  option('logconfig', ['--log-config'], 'string', null),
  option('logconfig_dict', [], 'dict', {}),
  option('logconfig_json', ['--log-config-json'], 'string', null),
  option('syslog_addr', ['--log-syslog-to'], 'string', 'udp://localhost:514'),
  flag('syslog', ['--log-syslog']),
  option('syslog_prefix', ['--log-syslog-prefix'], 'string', null),
  option('syslog_facility', ['--log-syslog-facility'], 'string', 'user'),
  flag('enable_stdio_inheritance', ['-R', '--enable-stdio-inheritance']),
  option('statsd_host', ['--statsd-host'], 'string', null),
  option('dogstatsd_tags', ['--dogstatsd-tags'], 'string', ''),
  option('statsd_prefix', ['--statsd-prefix'], 'string', ''),

  // Process naming
  option('proc_name', ['-n', '--name'], 'string', null),
  option('default_proc_name', [], 'string', 'gunicorn'),

  // SSL
  option('keyfile', ['--keyfile'], 'string', null),
  option('certfile', ['--certfile'], 'string', null),
  option('ssl_version', ['--ssl-version'], 'int', 2),
  option('cert_reqs', ['--cert-reqs'], 'int', 0),
  option('ca_certs', ['--ca-certs'], 'string', null),
  flag('suppress_ragged_eofs', ['--suppress-ragged-eofs'], { default: true }),
  flag('do_handshake_on_connect', ['--do-handshake-on-connect']),
  option('ciphers', ['--ciphers'], 'string', null),

  // Security
  option('limit_request_line', ['--limit-request-line'], 'int', 4094),
  option('limit_request_fields', ['--limit-request-fields'], 'int', 100),
  // The flag really mixes a dash and an underscore.
  option('limit_request_field_size', ['--limit-request-field_size'], 'int', 8190),

  // Server hooks
  ...HOOK_NAMES.map((name) => hook(name)),
  ...DIRTY_HOOK_NAMES.map((name) => hook(name, '25.0')),

  // Server mechanics
  flag('preload_app', ['--preload']),
  { name: 'sendfile', type: 'bool', default: null, flags: ['--no-sendfile'], takesValue: false, flagValue: false },
  flag('reuse_port', ['--reuse-port']),
  option('chdir', ['--chdir'], 'string', null),
  flag('daemon', ['-D', '--daemon']),
  option('raw_env', ['-e', '--env'], 'list', [], { repeatable: true }),
  option('pidfile', ['-p', '--pid'], 'string', null),
  option('worker_tmp_dir', ['--worker-tmp-dir'], 'string', null),
  option('user', ['-u', '--user'], 'string', null),
  option('group', ['-g', '--group'], 'string', null),
  option('umask', ['-m', '--umask'], 'int', 0),
  flag('initgroups', ['--initgroups']),
  option('tmp_upload_dir', [], 'string', null),
  option('secure_scheme_headers', [], 'dict', {
    'X-FORWARDED-PROTOCOL': 'ssl',
    'X-FORWARDED-PROTO': 'https',
    'X-FORWARDED-SSL': 'on',
  }),
  option('forwarded_allow_ips', ['--forwarded-allow-ips'], 'string', '127.0.0.1,::1', { defaultEnv: 'FORWARDED_ALLOW_IPS' }),
  option('pythonpath', ['--pythonpath'], 'string', null),
  option('paste', ['--paste', '--paster'], 'string', null),
  flag('proxy_protocol', ['--proxy-protocol']),
  option('proxy_allow_ips', ['--proxy-allow-from'], 'string', '127.0.0.1'),
  option('raw_paste_global_conf', ['--paste-global'], 'list', [], { repeatable: true }),
  flag('strip_header_spaces', ['--strip-header-spaces']),
  flag('permit_unconventional_http_method', ['--permit-unconventional-http-method']),
  flag('permit_unconventional_http_version', ['--permit-unconventional-http-version']),
  flag('casefold_http_method', ['--casefold-http-method']),
  option('forwarder_headers', ['--forwarder-headers'], 'string', 'SCRIPT_NAME,PATH_INFO'),
  option('header_map', ['--header-map'], 'string', 'drop'),
  flag('permit_obsolete_folding', ['--permit-obsolete-folding']),

  // Server socket. With `PORT` in the environment the default is `0.0.0.0:$PORT` instead.
  option('bind', ['-b', '--bind'], 'list', ['127.0.0.1:8000'], { repeatable: true }),
  option('backlog', ['--backlog'], 'int', 2048),

  // Worker processes
  option('workers', ['-w', '--workers'], 'int', 1, { defaultEnv: 'WEB_CONCURRENCY' }),
  option('worker_class', ['-k', '--worker-class'], 'class', 'sync'),
  option('threads', ['--threads'], 'int', 1),
  option('worker_connections', ['--worker-connections'], 'int', 1000),
  option('max_requests', ['--max-requests'], 'int', 0),
  option('max_requests_jitter', ['--max-requests-jitter'], 'int', 0),
  option('timeout', ['-t', '--timeout'], 'int', 30),
  option('graceful_timeout', ['--graceful-timeout'], 'int', 30),
  option('keepalive', ['--keep-alive'], 'int', 2),

  // Added after Gunicorn 23 and named in its release notes. Defaults are the documented ones where
  // known, and null where the notes do not give one.
  option('asgi_loop', ['--asgi-loop'], 'string', 'auto', { since: '24.0' }),
  option('asgi_lifespan', ['--asgi-lifespan'], 'string', 'auto', { since: '24.0' }),
  option('root_path', ['--root-path'], 'string', '', { since: '24.0' }),
  option('protocol', ['--protocol'], 'string', 'http', { since: '24.0' }),
  option('dirty_workers', ['--dirty-workers'], 'int', 0, { since: '25.0' }),
  option('dirty_timeout', ['--dirty-timeout'], 'int', null, { since: '25.0' }),
  option('dirty_threads', ['--dirty-threads'], 'int', null, { since: '25.0' }),
  option('dirty_graceful_timeout', ['--dirty-graceful-timeout'], 'int', null, { since: '25.0' }),
  option('http_protocols', ['--http-protocols'], 'string', 'h1', { since: '25.0' }),
  option('http2_max_concurrent_streams', ['--http2-max-concurrent-streams'], 'int', null, { since: '25.0' }),
  option('http2_initial_window_size', ['--http2-initial-window-size'], 'int', null, { since: '25.0' }),
  option('http2_max_frame_size', ['--http2-max-frame-size'], 'int', null, { since: '25.0' }),
  option('http2_max_header_list_size', ['--http2-max-header-list-size'], 'int', null, { since: '25.0' }),
  option('control_socket', ['--control-socket'], 'string', null, { since: '25.1' }),
  option('control_socket_mode', ['--control-socket-mode'], 'int', null, { since: '25.1' }),
];

const SETTINGS_BY_NAME = new Map(GUNICORN_SETTINGS.map((setting) => [setting.name, setting]));

const SETTINGS_BY_FLAG = new Map(GUNICORN_SETTINGS.flatMap((setting) => setting.flags.map((name) => [name, setting] as const)));

export function gunicornSetting(name: string): GunicornSettingInfo | undefined {
  return SETTINGS_BY_NAME.get(name);
}

/** Finds the setting a command-line flag sets, by its exact spelling (`--workers`, `-w`). */
export function gunicornSettingByFlag(flagName: string): GunicornSettingInfo | undefined {
  return SETTINGS_BY_FLAG.get(flagName);
}

/** Every long flag, for argparse's unambiguous-prefix matching (`--work` means `--workers`). */
export const GUNICORN_LONG_FLAGS: readonly string[] = [...SETTINGS_BY_FLAG.keys()].filter((name) => name.startsWith('--'));

/** Worker classes that ship with Gunicorn, by short name and by full dotted path. */
export const GUNICORN_WORKER_CLASSES: readonly string[] = [
  'sync',
  'gthread',
  'gevent',
  'gevent_wsgi',
  'gevent_pywsgi',
  'eventlet',
  'tornado',
  'gunicorn.workers.sync.SyncWorker',
  'gunicorn.workers.gthread.ThreadWorker',
  'gunicorn.workers.ggevent.GeventWorker',
  'gunicorn.workers.ggevent.GeventPyWSGIWorker',
  'gunicorn.workers.geventlet.EventletWorker',
  'gunicorn.workers.gtornado.TornadoWorker',
];

/** Worker classes that Gunicorn 26 removed (the eventlet worker), by short name and dotted path. */
export const GUNICORN_REMOVED_IN_26: readonly string[] = ['eventlet', 'gunicorn.workers.geventlet.EventletWorker'];

/**
 * Worker classes that serve ASGI applications (FastAPI, Starlette, Quart) and cannot run a WSGI
 * app such as Flask: Gunicorn's own `asgi` worker (Gunicorn 24 and later), Uvicorn's workers and
 * aiohttp's.
 */
export const ASGI_WORKER_CLASSES: readonly string[] = [
  'asgi',
  'uvicorn.workers.UvicornWorker',
  'uvicorn.workers.UvicornH11Worker',
  'uvicorn_worker.UvicornWorker',
  'uvicorn_worker.UvicornH11Worker',
  'aiohttp.worker.GunicornWebWorker',
  'aiohttp.worker.GunicornUVLoopWebWorker',
  'aiohttp.GunicornWebWorker',
  'aiohttp.GunicornUVLoopWebWorker',
];
