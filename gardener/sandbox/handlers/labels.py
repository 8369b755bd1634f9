"""Repository labels: list, get, create (422 already_exists), update (rename keeps issues), delete."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from gardener.sandbox.handlers.fields import (
    LABEL_DESCRIPTION_MAX,
    LABEL_NAME_MAX,
    MISSING,
    body_object,
    check_length,
    optional_string,
    repo_of,
    required_string,
)
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import ApiError, Request, Response, error_body, not_found, validation_failed
from gardener.sandbox.records import Label
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store

DEFAULT_COLOR = "ededed"
COLOR = re.compile(r"[0-9a-fA-F]{6}")


def list_labels(store: Store, req: Request) -> Response:
    with store.read():
        repo = repo_of(store, req)
        labels = sorted(store.labels_in(repo.key), key=lambda lb: lb.name.lower())
        page, headers = paginate(labels, req.params, req.base_url, req.path)
        render = Renderer(store, req.base_url)
        return Response(200, [render.label(lb) for lb in page], headers)


def get_label(store: Store, req: Request) -> Response:
    with store.read():
        label = _named(store, req)
        return Response(200, Renderer(store, req.base_url).label(label))


def create_label(store: Store, req: Request) -> Response:
    data = body_object(req)
    name = required_string(data, "name").strip()
    color = _color(data)
    description = optional_string(data, "description")
    _check_name(name)
    check_length("Label", "description", description if description is not MISSING else None, LABEL_DESCRIPTION_MAX)
    with store.write():
        repo = repo_of(store, req)
        if store.label_named(repo.key, name) is not None:
            raise validation_failed("Label", "already_exists", "name")
        label = Label(
            id=store.allocate_id(),
            repo=repo.key,
            name=name,
            color=color or DEFAULT_COLOR,
            description=None if description is MISSING else description,
        )
        store.put_label(label)
        rendered = Renderer(store, req.base_url).label(label)
        return Response(201, rendered, {"Location": rendered["url"]})


def update_label(store: Store, req: Request) -> Response:
    data = body_object(req)
    new_name = optional_string(data, "new_name", nullable=False)
    color = _color(data)
    description = optional_string(data, "description")
    if new_name is not MISSING:
        _check_name(new_name.strip())
    if description is not MISSING:
        check_length("Label", "description", description, LABEL_DESCRIPTION_MAX)
    with store.write():
        label = _named(store, req)
        if new_name is not MISSING and new_name.strip():
            clash = store.label_named(label.repo, new_name.strip())
            if clash is not None and clash.id != label.id:
                raise validation_failed("Label", "already_exists", "name")
            label = replace(label, name=new_name.strip())
        if color:
            label = replace(label, color=color)
        if description is not MISSING:
            label = replace(label, description=description)
        store.put_label(label)
        return Response(200, Renderer(store, req.base_url).label(label))


def delete_label(store: Store, req: Request) -> Response:
    with store.write():
        store.delete_label(_named(store, req))
        return Response(204)


def ensure_labels(store: Store, key: str, names: list[str]) -> tuple[int, ...]:
    """Label ids for these names, creating the missing ones as GitHub does when labelling an issue."""
    ids: list[int] = []
    for name in names:
        if len(name) > LABEL_NAME_MAX:
            body = error_body(422, "Validation Failed")
            body["errors"] = [{"value": name, "resource": "Label", "field": "name", "code": "invalid"}]
            raise ApiError(422, body)
    for name in names:
        label = store.label_named(key, name)
        if label is None:
            label = Label(id=store.allocate_id(), repo=key, name=name, color=DEFAULT_COLOR, description=None)
            store.put_label(label)
        if label.id not in ids:
            ids.append(label.id)
    return tuple(ids)


def _named(store: Store, req: Request) -> Label:
    repo = repo_of(store, req)
    label = store.label_named(repo.key, req.args["name"])
    if label is None:
        raise not_found()
    return label


def _check_name(name: str) -> None:
    if not name:
        raise validation_failed("Label", "missing_field", "name")
    check_length("Label", "name", name, LABEL_NAME_MAX)


def _color(data: dict[str, Any]) -> str | None:
    color = optional_string(data, "color")
    if color is MISSING or color is None:
        return None
    color = color.lstrip("#")
    if not COLOR.fullmatch(color):
        raise validation_failed("Label", "invalid", "color")
    return str(color).lower()
