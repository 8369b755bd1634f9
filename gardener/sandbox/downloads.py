"""Download URLs for job logs and artifact zips, as GitHub hands them out: a 302 from the API to a signed,
short-lived URL on another path that needs no Authorization header (GitHub's live on blob storage).

    /_sandbox/downloads/logs/{job_id}?expires=T&sig=S          text/plain, the job's log file
    /_sandbox/downloads/artifacts/{artifact_id}.zip?expires=T&sig=S

The signature is an HMAC over path and expiry with a per-process secret, so a URL cannot be guessed or
reused after it lapses (403, like blob storage). Downloads are logged and can be faulted like API calls, but
spend no rate limit. Bodies are streamed from disk in chunks (see http_handler), never read whole.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping

from gardener.sandbox.actions_store import ActionsStore
from gardener.sandbox.protocol import FileBody, Response, error_body

DOWNLOAD_PREFIX = "/_sandbox/downloads/"
LINK_LIFETIME_S = 60  # GitHub's log and artifact links expire after a minute
PATH = re.compile(r"/_sandbox/downloads/(?:logs/(?P<job>\d+)|artifacts/(?P<artifact>\d+)\.zip)")


def signed_url(actions: ActionsStore, web_base: str, path: str, now: float | None = None) -> str:
    expires = int(now if now is not None else time.time()) + LINK_LIFETIME_S
    return f"{web_base}{path}?expires={expires}&sig={_sign(actions.secret, path, expires)}"


def log_path(job_id: int) -> str:
    return f"{DOWNLOAD_PREFIX}logs/{job_id}"


def artifact_path(artifact_id: int) -> str:
    return f"{DOWNLOAD_PREFIX}artifacts/{artifact_id}.zip"


def is_download(path: str) -> bool:
    return path.startswith(DOWNLOAD_PREFIX)


def serve_download(actions: ActionsStore, path: str, params: Mapping[str, str]) -> Response:
    m = PATH.fullmatch(path)
    if m is None:
        return Response(404, error_body(404, "Not Found"))
    try:
        expires = int(params.get("expires", ""))
    except ValueError:
        return _denied("Signature missing")
    if not hmac.compare_digest(params.get("sig", ""), _sign(actions.secret, path, expires)):
        return _denied("Signature did not match")
    if expires < time.time():
        return _denied("Signed expiry time has passed")
    if m["job"] is not None:
        job = actions.jobs.get(int(m["job"]))
        if job is None or job.log is None:
            return Response(404, error_body(404, "Not Found"))
        return Response(200, FileBody(job.log, "text/plain; charset=utf-8"))
    artifact = actions.artifacts.get(int(m["artifact"]))
    if artifact is None:
        return Response(404, error_body(404, "Not Found"))
    if artifact.expired:
        return Response(410, error_body(410, "Artifact has expired"))
    name = artifact.name.replace('"', "")
    headers = {"Content-Disposition": f'attachment; filename="{name}.zip"'}
    return Response(200, FileBody(artifact.archive, "application/zip"), headers)


def _sign(secret: bytes, path: str, expires: int) -> str:
    return hmac.new(secret, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def _denied(reason: str) -> Response:
    return Response(403, {"message": f"AuthenticationFailed: {reason}", "documentation_url": ""})
