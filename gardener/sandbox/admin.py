"""Admin endpoints under /_sandbox/ (not part of GitHub's API; never logged, faulted or rate-limited):

    POST   /_sandbox/faults     add a fault rule (see faults.py), answers 201 with the pending rules
    GET    /_sandbox/faults     the pending rules
    DELETE /_sandbox/faults     drop all pending rules
    GET    /_sandbox/requests   the request log: [{seq, method, path, query, status, resource, fault}]
    DELETE /_sandbox/requests   clear the log
    POST   /_sandbox/reset      clear faults, log and rate-limit budgets; {"data": true} also forgets all
                                issues, labels and comments (numbers and ids still never repeat); Actions
                                runs and commits stay (they come from files)
    POST   /_sandbox/runs, GET /_sandbox/runs, PUT /_sandbox/permissions: see runs_admin.py

When the sandbox was started with a token, admin calls need it too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from gardener.sandbox.faults import FaultRule, FaultSpecError, parse_rule
from gardener.sandbox.protocol import Response, error_body
from gardener.sandbox.runs_admin import handle_runs_admin

if TYPE_CHECKING:
    from gardener.sandbox.app import App

ADMIN_PREFIX = "/_sandbox/"


def handle_admin(app: App, method: str, path: str, headers: Mapping[str, str], raw: bytes) -> Response:
    token = app.token_of(headers)
    if app.settings.token is not None and token != app.settings.token:
        return Response(401, error_body(401, "Bad credentials"))
    try:
        body: Any = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Response(400, error_body(400, "Problems parsing JSON"))
    name = path[len(ADMIN_PREFIX) :].strip("/")
    if name == "faults" and method == "POST":
        try:
            app.faults.add(parse_rule(body))
        except FaultSpecError as exc:
            return Response(422, error_body(422, str(exc)))
        return Response(201, {"pending": pending(app.faults.pending())})
    if name == "faults" and method == "GET":
        return Response(200, {"pending": pending(app.faults.pending())})
    if name == "faults" and method == "DELETE":
        app.faults.clear()
        return Response(204)
    if name == "requests" and method == "GET":
        return Response(200, {"requests": [r.as_json() for r in app.log.records()]})
    if name == "requests" and method == "DELETE":
        app.log.clear()
        return Response(204)
    runs_answer = handle_runs_admin(app.store, method, name, body)
    if runs_answer is not None:
        return runs_answer
    if name == "reset" and method == "POST":
        reset(app, data=isinstance(body, dict) and body.get("data") is True)
        return Response(204)
    return Response(404, error_body(404, "Not Found"))


def reset(app: App, *, data: bool) -> None:
    app.faults.clear()
    app.log.clear()
    app.limiter.reset()
    if data:
        app.store.clear_data()


def pending(rules: list[FaultRule]) -> list[dict[str, Any]]:
    return [{"match": {"method": r.method, "path": r.path}, "times": r.times, "fault": asdict(r.fault)} for r in rules]
