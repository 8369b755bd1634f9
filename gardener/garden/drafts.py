"""Issue text from the templates: titles, bodies that fit GitHub's 65,536 characters, comments.

A body that is too long is rendered again with tighter limits (fewer tests listed, shorter
excerpts, fewer related issues), step by step; as a last resort the visible text is clipped. The
hidden block is never cut: it is how the issue is found again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import jinja2

from gardener import render
from gardener.model import Finding, IssueRef, RunReport
from gardener.plan.issue import iso
from gardener.redact import clip
from gardener.tracker import markers
from gardener.tracker.markers import Marker
from gardener.view.common import Ctx
from gardener.view.issue import LEVELS, base_view, body_context, comment_context, issue_title

MAX_BODY = 65_536
MAX_COMMENT = 65_536
# Room for what composing adds: the blank line, the final newline, the `bh` digest set when written.
HEADROOM = 64


class Drafts:
    """Renders a run's issue text; one instance per run (it holds the template environment)."""

    def __init__(self, report: RunReport, ctx: Ctx, env: jinja2.Environment, known: Sequence[IssueRef] = (),
                 aliases: Mapping[str, frozenset[str]] | None = None) -> None:
        self.report = report
        self.ctx = ctx
        self.env = env
        # blocker number -> open gardener issues outside this run's findings linked as blocked by it, as
        # listed before this run wrote. An issue carrying the signature of one of this run's findings is
        # that finding's issue or a duplicate this run closes: neither is "another issue" it blocks.
        own = {d for f in report.findings for d in (aliases or {}).get(f.id, frozenset()) | {f.signature.digest}}
        self.linked_from: dict[int, list[int]] = {}
        for issue in known:
            marker = markers.parse(issue.body)
            if issue.state == "open" and marker is not None and marker.dup_of is None and not marker.digests() & own:
                for number in marker.linked():
                    self.linked_from.setdefault(number, []).append(issue.number)
        self._views: dict[tuple[str, tuple[tuple[str, int], ...]], dict[str, Any]] = {}

    def title(self, f: Finding) -> str:
        return issue_title(f, self.ctx)

    def visible(self, f: Finding, marker: Marker, targets: Mapping[str, IssueRef],
                previous: IssueRef | None = None) -> str:
        """The body text above the hidden block, shrunk until body and block fit together."""
        budget = MAX_BODY - len(markers.render(marker)) - HEADROOM
        key = (f.id, tuple(sorted((k, v.number) for k, v in targets.items())))
        if key not in self._views:  # redacting thousands of test names once per finding, not per render
            self._views[key] = base_view(f, self.report, self.ctx, targets)
        text = ""
        for limits in LEVELS:
            context = body_context(f, self.report, self.ctx, targets, marker, limits, previous, self._views[key],
                                   self._linked_from(f, targets))
            text = render.render(self.env, "issue_body.md.j2", context).strip()
            if len(text) <= budget:
                return text
        return clip(text, max(budget, 0), keep="head")

    def _linked_from(self, f: Finding, targets: Mapping[str, IssueRef]) -> list[int]:
        """Issues outside this run's findings that wait for this finding's issue."""
        own = targets.get(f.id)
        in_run = {t.number for t in targets.values()}
        return [n for n in self.linked_from.get(own.number, []) if n not in in_run] if own and own.number else []

    def comment(self, headline: str, news: Sequence[str], f: Finding | None, now: datetime,
                excerpt: bool = False) -> str:
        """`news`: gardener's own lines (their untrusted parts cleaned by the planner); `excerpt`: quote
        the finding's error details below them."""
        context = comment_context(headline, iso(now), news, f, self.ctx, excerpt)
        return clip(render.render(self.env, "comment.md.j2", context).strip(), MAX_COMMENT)

