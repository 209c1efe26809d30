import type { ListedFile, SkippedFile, TreeListing } from '../src/discovery';
import { classifyPath } from '../src/discovery';
import { moduleCreatesFlaskApp, planSystems, type SystemPlan } from '../src/roots';
import { createSourceFile } from '../src/source';

/** Builds a listing from paths; the paths in `flaskModules` are the modules that create a Flask app. */
function plan(paths: string[], flaskModules: string[] = [], skipped: SkippedFile[] = []): SystemPlan[] {
  const files: ListedFile[] = paths.map((relPath) => {
    const kind = classifyPath(relPath);
    if (!kind) throw new Error(`\`${relPath}\` is not a kind of file prodcheck reads`);
    return { relPath, kind, linked: false };
  });
  const listing: TreeListing = { root: '/checked', files, skipped };
  return planSystems(listing, (file) => flaskModules.includes(file.relPath));
}

function layout(plans: SystemPlan[]): Record<string, string[]> {
  return Object.fromEntries(plans.map((system) => [system.folder, system.files.map((file) => file.relPath)]));
}

describe('planSystems', () => {
  test('target that is a root', () => {
    const plans = plan(['Dockerfile', 'main.py', 'requirements.txt', 'config/app.yaml']);

    expect(layout(plans)).toEqual({ '': ['Dockerfile', 'main.py', 'requirements.txt', 'config/app.yaml'] });
  });

  test('sibling systems', () => {
    const plans = plan(['api/Dockerfile', 'api/main.py', 'worker/gunicorn.conf.py', 'worker/app.py']);

    expect(layout(plans)).toEqual({ api: ['Dockerfile', 'main.py'], worker: ['gunicorn.conf.py', 'app.py'] });
  });

  test('nested system split off', () => {
    const plans = plan(['Dockerfile', 'main.py', 'admin/Dockerfile', 'admin/app.py', 'admin/lib/util.py']);

    expect(layout(plans)).toEqual({ '': ['Dockerfile', 'main.py'], admin: ['Dockerfile', 'app.py', 'lib/util.py'] });
  });

  test('Dockerfile-only folder joins parent', () => {
    const plans = plan(['main.py', 'requirements.txt', 'docker/Dockerfile'], ['main.py']);

    expect(layout(plans)).toEqual({ '': ['main.py', 'requirements.txt', 'docker/Dockerfile'] });
  });

  test('package app roots at import folder', () => {
    const plans = plan(['services/bookmarks/app/__init__.py', 'services/bookmarks/app/routes.py', 'services/bookmarks/wsgi.py'], ['services/bookmarks/app/__init__.py']);

    expect(layout(plans)).toEqual({ 'services/bookmarks': ['app/__init__.py', 'app/routes.py', 'wsgi.py'] });
  });

  test('app below Dockerfile folder stays in it', () => {
    const plans = plan(['Dockerfile', 'requirements.txt', 'src/app.py', 'src/gunicorn.conf.py'], ['src/app.py']);

    expect(layout(plans)).toEqual({ '': ['Dockerfile', 'requirements.txt', 'src/app.py', 'src/gunicorn.conf.py'] });
  });

  test('Flask-only systems nest', () => {
    const plans = plan(['app.py', 'gunicorn.conf.py', 'tools/admin/admin.py'], ['app.py', 'tools/admin/admin.py']);

    expect(layout(plans)).toEqual({ '': ['app.py', 'gunicorn.conf.py'], 'tools/admin': ['admin.py'] });
  });

  test('test app makes no root', () => {
    const plans = plan(['app.py', 'tests/app_double.py', 'test_views.py'], ['app.py', 'tests/app_double.py', 'test_views.py']);

    expect(layout(plans)).toEqual({ '': ['app.py', 'tests/app_double.py', 'test_views.py'] });
  });

  test('no root gives one fallback system', () => {
    const plans = plan(['requirements.txt', 'util.py', 'docker/Dockerfile']);

    expect(layout(plans)).toEqual({ '': ['requirements.txt', 'util.py', 'docker/Dockerfile'] });
  });

  test('files outside every root left out', () => {
    const plans = plan(['requirements-common.txt', 'scripts/deploy.py', 'services/api/Dockerfile', 'services/api/main.py']);

    expect(layout(plans)).toEqual({ 'services/api': ['Dockerfile', 'main.py'] });
  });

  test('proxy image beside services makes no system', () => {
    const plans = plan(['nginx/Dockerfile', 'nginx/site.yaml', 'api/Dockerfile', 'api/main.py']);

    expect(layout(plans)).toEqual({ api: ['Dockerfile', 'main.py'] });
  });

  test('skipped files go to nearest root', () => {
    const skipped = [
      { relPath: 'api/huge.py', reason: 'is too large' },
      { relPath: 'api/admin/broken.py', reason: 'is not valid UTF-8' },
      { relPath: 'loose.py', reason: 'cannot be read' },
    ];
    const plans = plan(['api/Dockerfile', 'api/main.py', 'api/admin/Dockerfile', 'api/admin/app.py'], [], skipped);

    expect(plans.find((system) => system.folder === 'api')!.skipped).toEqual([{ relPath: 'huge.py', reason: 'is too large' }]);
    expect(plans.find((system) => system.folder === 'api/admin')!.skipped).toEqual([{ relPath: 'broken.py', reason: 'is not valid UTF-8' }]);
  });

  test('fallback keeps skipped files', () => {
    const plans = plan(['util.py'], [], [{ relPath: 'data.py', reason: 'cannot be read' }]);

    expect(plans[0].skipped).toEqual([{ relPath: 'data.py', reason: 'cannot be read' }]);
  });
});

describe('moduleCreatesFlaskApp', () => {
  const creates = (text: string): boolean => moduleCreatesFlaskApp(createSourceFile('main.py', 'python', text));

  test.each([
    ['module-level app', 'from flask import Flask\n\napp = Flask(__name__)\n'],
    ['factory', 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n'],
    ['module attribute', 'import flask\n\nserver = flask.Flask(__name__)\n'],
    ['spaced call', 'from flask import Flask, jsonify\napplication = Flask (__name__)\n'],
  ])('%s', (_name, text) => {
    expect(creates(text)).toBe(true);
  });

  test.each([
    ['comment only', 'from flask import Blueprint\n\n# registered on Flask(__name__) in main.py\nbp = Blueprint("api", __name__)\n'],
    ['string only', 'from flask import Blueprint\n\nHELP = "call Flask(__name__) first"\n'],
    ['no flask import', 'class Flask:\n    pass\n\nthing = Flask()\n'],
    ['blueprint module', 'from flask import Blueprint\n\napi = Blueprint("api", __name__)\n'],
  ])('%s', (_name, text) => {
    expect(creates(text)).toBe(false);
  });
});
