"""The sandbox as a function of one HTTP request, independent of sockets.

Order of checks for an API call, as GitHub does it: injected fault → credentials → route → write needs a
token → rate-limit budget → JSON body → handler. Every answer carries the x-ratelimit-* headers of the
bucket it touched. Admin calls under /_sandbox/ skip faults, budgets and the request log; signed download
URLs (/_sandbox/downloads/, see downloads.py) skip credentials and budgets but are faulted and logged.
"""

from __future__ import annotations

import base64
import itertools
import json
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from gardener.sandbox import routes
from gardener.sandbox.admin import ADMIN_PREFIX, handle_admin
from gardener.sandbox.downloads import is_download, serve_download
from gardener.sandbox.faults import PRIMARY_MESSAGE, RATE_DOCS, Faults, fault_response
from gardener.sandbox.handlers.misc import rate_limit_overview
from gardener.sandbox.protocol import (
    ApiError,
    FileBody,
    Request,
    Response,
    bad_credentials,
    bad_json,
    error_body,
    not_found,
    requires_authentication,
)
from gardener.sandbox.ratelimit import Quota, RateLimiter
from gardener.sandbox.render import API_PREFIX
from gardener.sandbox.reqlog import RequestLog
from gardener.sandbox.store import Store
from gardener.sandbox.web import is_page, render_page

API_VERSION = "2022-11-28"


class _Drop:
    """Marker: close the connection without answering."""


DROP: Final = _Drop()


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None  # when set, any other token is "Bad credentials"
    login: str  # who an accepted token belongs to
    quotas: Mapping[str, Quota]


class App:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.limiter = RateLimiter(settings.quotas)
        self.faults = Faults()
        self.log = RequestLog()
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], raw: bytes, base_url: str
    ) -> Response | _Drop:
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
        if path == API_PREFIX or path.startswith(f"{API_PREFIX}/"):  # Github(base_url=".../api/v3") works too
            path, base_url = path[len(API_PREFIX) :] or "/", base_url + API_PREFIX
        request_id = self._request_id()
        if path.startswith(ADMIN_PREFIX) and not is_download(path):
            return self._finish(handle_admin(self, method, path, headers, raw), request_id)
        if is_page(method, path):
            return render_page(self.store, path)
        fault = self.faults.take(method, path)
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        elif fault is not None and fault.kind == "drop":
            self.log.add(method, path, query, 0, "core", fault.kind)
            return DROP
        elif fault is not None and fault.kind != "truncate":
            answer = fault_response(fault, request_id, self.limiter.peek("core").headers())
            self.log.add(method, path, query, answer.status, "core", fault.kind)
            return self._finish(answer, request_id)
        if is_download(path):  # a signed log or artifact URL: no token, no budget, but logged and faultable
            answer, resource = self._download(method, path, query), "none"
        else:
            answer, resource = self._answer(method, path, query, headers, raw, base_url)
        if fault is not None and fault.kind == "truncate" and isinstance(answer.body, FileBody):
            answer = Response(answer.status, replace(answer.body, cut_after=fault.after_bytes), answer.headers)
        self.log.add(method, path, query, answer.status, resource, fault.kind if fault else None)
        return self._finish(answer, request_id)

    def token_of(self, headers: Mapping[str, str]) -> str | None:
        value = headers.get("authorization", "")  # header names arrive lower-cased
        scheme, _, credential = value.strip().partition(" ")
        if scheme.lower() in ("token", "bearer") and credential.strip():
            return credential.strip()
        if scheme.lower() == "basic" and credential:
            try:
                return base64.b64decode(credential).decode("utf-8").partition(":")[2] or None
            except ValueError:
                return None
        return None

    def credentials_ok(self, token: str | None) -> bool:
        return token is None or self.settings.token is None or token == self.settings.token

    def _answer(
        self, method: str, path: str, query: str, headers: Mapping[str, str], raw: bytes, base_url: str
    ) -> tuple[Response, str]:
        resource = "core"
        budget_headers = self.limiter.peek("core").headers()
        try:
            token = self.token_of(headers)
            if not self.credentials_ok(token):
                raise bad_credentials()
            if method == "GET" and path == "/rate_limit":
                return self._with(rate_limit_overview(self.limiter), budget_headers), "none"
            found = routes.find(method, path)
            resource = found[0].resource if found else "core"
            if found is not None and method != "GET" and token is None:
                raise requires_authentication()
            allowed, budget = self.limiter.spend(resource)
            budget_headers = budget.headers()
            if not allowed:
                message = PRIMARY_MESSAGE.format(uid=1, rid=f"sandbox-{resource}")
                raise ApiError(403, {"message": message, "documentation_url": RATE_DOCS})
            if found is None:
                raise not_found()
            route, args = found
            request = Request(
                method=method,
                path=path,
                params=dict(parse_qsl(query, keep_blank_values=True)),
                body=_json_body(raw),
                login=self.settings.login if token else None,
                base_url=base_url,
                args=args,
            )
            answer = route.handler(self.store, request)
        except ApiError as exc:
            answer = Response(exc.status, exc.body, exc.headers)
        except Exception:  # a sandbox bug must answer 500, like a real server, and say why on stderr
            traceback.print_exc(file=sys.stderr)
            answer = Response(500, error_body(500, "Server Error"))
        return self._with(answer, budget_headers), resource

    def _download(self, method: str, path: str, query: str) -> Response:
        if method != "GET":
            return Response(405, error_body(405, "Method Not Allowed"))
        with self.store.read():
            return serve_download(self.store.actions, path, dict(parse_qsl(query, keep_blank_values=True)))

    def _request_id(self) -> str:
        with self._ids_lock:
            return f"SBX0:{next(self._ids):06X}"

    @staticmethod
    def _with(answer: Response, extra: Mapping[str, str]) -> Response:
        return Response(answer.status, answer.body, {**extra, **answer.headers})

    @staticmethod
    def _finish(answer: Response, request_id: str) -> Response:
        standard = {
            "X-GitHub-Api-Version-Selected": API_VERSION,
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": request_id,
        }
        return Response(answer.status, answer.body, {**standard, **answer.headers})


def _json_body(raw: bytes) -> object:
    if not raw.strip():
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad_json() from None
