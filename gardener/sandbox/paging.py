"""GitHub-style pagination: `per_page` (default 30, at most 100), `page`, and the `Link` header.

PyGithub's `totalCount` asks for `per_page=1` and reads the page number of `rel="last"`, so the header must
carry `last` whenever there is a next page, with every other query parameter preserved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def page_bounds(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, per_page) from the query; nonsense values fall back to the defaults, as on GitHub."""
    per_page = _positive(params.get("per_page"), DEFAULT_PER_PAGE)
    return _positive(params.get("page"), 1), min(per_page, MAX_PER_PAGE)


def paginate(items: Sequence[T], params: Mapping[str, str], base_url: str, path: str) -> tuple[list[T], dict[str, str]]:
    """The slice for the requested page and the headers (`Link`) that go with it."""
    page, per_page = page_bounds(params)
    last = max(1, -(-len(items) // per_page))
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])
    link = link_header(params, base_url, path, page, last)
    return chunk, ({"Link": link} if link else {})


def link_header(params: Mapping[str, str], base_url: str, path: str, page: int, last: int) -> str:
    def url(n: int) -> str:
        query = dict(params)
        query["page"] = str(n)
        return f"{base_url}{path}?{urlencode(query)}"

    rels: list[tuple[str, int]] = []
    if page > 1:
        rels.append(("prev", min(page - 1, last)))
    if page < last:
        rels.append(("next", page + 1))
        rels.append(("last", last))
    if page > 1:
        rels.append(("first", 1))
    return ", ".join(f'<{url(n)}>; rel="{rel}"' for rel, n in rels)


def _positive(raw: str | None, default: int) -> int:
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value > 0 else default
