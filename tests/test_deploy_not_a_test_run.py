"""A web server failing to import the app it serves is a deploy or a service start, not a test run
(gardener/generic_rule.py nothing_tested): the 'whole log shows no test running' P0 reads only test jobs. Real logs
from different projects on each side, as cited per case."""

from __future__ import annotations

from gardener.generic_rule import nothing_tested
from gardener.model import Result, Source

# Render's deploy of a Flask app whose pinned Flask 2.0.1 meets Werkzeug 3 (BRyan81-coder/seventhtime 641f239, app.py
# holds the pasted log; corpus17 c17-render-werkzeug-001): the build succeeds, gunicorn cannot import the app.
_RENDER_DEPLOY = [
    '==> Uploading build...',
    '==> Uploaded in 3.7s. Compression took 0.8s',
    '==> Build successful 🎉',
    '==> Deploying...',
    "==> Running 'gunicorn app:app'",
    'Traceback (most recent call last):',
    '  File "/opt/render/project/src/.venv/bin/gunicorn", line 8, in <module>',
    '    sys.exit(run())',
    '             ~~~^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/app/wsgiapp.py", line 66, in run',
    '    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]", prog=prog).run()',
    '    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/app/base.py", line 235, in run',
    '    super().run()',
    '    ~~~~~~~~~~~^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/app/base.py", line 71, in run',
    '    Arbiter(self).run()',
    '    ~~~~~~~^^^^^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/arbiter.py", line 57, in __init__',
    '    self.setup(app)',
    '    ~~~~~~~~~~^^^^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/arbiter.py", line 117, in setup',
    '    self.app.wsgi()',
    '    ~~~~~~~~~~~~~^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/app/base.py", line 66, in wsgi',
    '    self.callable = self.load()',
    '                    ~~~~~~~~~^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/app/wsgiapp.py", line 57, in load',
    '    return self.load_wsgiapp()',
    '           ~~~~~~~~~~~~~~~~~^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/app/wsgiapp.py", line 47, in '
    'load_wsgiapp',
    '    return util.import_app(self.app_uri)',
    '           ~~~~~~~~~~~~~~~^^^^^^^^^^^^^^',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/gunicorn/util.py", line 370, in import_app',
    '    mod = importlib.import_module(module)',
    '  File "/usr/local/lib/python3.13/importlib/__init__.py", line 88, in import_module',
    '    return _bootstrap._gcd_import(name[level:], package, level)',
    '           ~~~~~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    '  File "<frozen importlib._bootstrap>", line 1387, in _gcd_import',
    '  File "<frozen importlib._bootstrap>", line 1360, in _find_and_load',
    '  File "<frozen importlib._bootstrap>", line 1331, in _find_and_load_unlocked',
    '  File "<frozen importlib._bootstrap>", line 935, in _load_unlocked',
    '  File "<frozen importlib._bootstrap_external>", line 1026, in exec_module',
    '  File "<frozen importlib._bootstrap>", line 488, in _call_with_frames_removed',
    '  File "/opt/render/project/src/app.py", line 2, in <module>',
    '    from flask import Flask, request, jsonify',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/flask/__init__.py", line 7, in <module>',
    '    from .app import Flask as Flask',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/flask/app.py", line 28, in <module>',
    '    from . import cli',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/flask/cli.py", line 18, in <module>',
    '    from .helpers import get_debug_flag',
    '  File "/opt/render/project/src/.venv/lib/python3.13/site-packages/flask/helpers.py", line 16, in <module>',
    '    from werkzeug.urls import url_quote',
    "ImportError: cannot import name 'url_quote' from 'werkzeug.urls' "
    "(/opt/render/project/src/.venv/lib/python3.13/site-packages/werkzeug/urls.py)",
    '==> Exited with status 1',
]
# lyft/confidant#97: gunicorn started by hand on Debian cannot import `wsgi` (the issue's own lines).
_CONFIDANT_START = [
    "(venv)root@confidant:/srv/confidant# gunicorn wsgi:app --workers=2 -k gevent",
    "[2016-09-03 01:58:30 +0000] [10080] [INFO] Starting gunicorn 19.3.0",
    "[2016-09-03 01:58:30 +0000] [10085] [ERROR] Exception in worker process:",
    "Traceback (most recent call last):",
    '  File "/srv/confidant/venv/local/lib/python2.7/site-packages/gunicorn/app/base.py", line 67, in wsgi',
    "    self.callable = self.load()",
    '  File "/srv/confidant/venv/local/lib/python2.7/site-packages/gunicorn/app/wsgiapp.py", line 65, in load',
    "    return self.load_wsgiapp()",
    "ImportError: No module named wsgi",
]


def _log(lines: list[str]) -> Result:
    return Result(id="log:job:excerpt", outcome="error", source=Source("job.log", "log"), details="\n".join(lines))


def test_a_deploy_whose_server_cannot_import_the_app_ran_no_tests_to_miss() -> None:
    assert len(_RENDER_DEPLOY) >= 40
    assert not nothing_tested(_log(_RENDER_DEPLOY))
    # The lines padded with blank lines to a whole log's length (nothing added that a log would say).
    assert not nothing_tested(_log(_CONFIDANT_START + [""] * 40))


def test_the_same_import_error_without_a_server_loading_still_stopped_every_test() -> None:
    # Near-miss: the Render traceback without gunicorn's frames (what a test job's import of the app shows): a whole
    # log with no test in it still reads as nothing tested.
    without = [line for line in _RENDER_DEPLOY if "gunicorn" not in line]
    assert len(without) >= 40
    assert nothing_tested(_log(without))
