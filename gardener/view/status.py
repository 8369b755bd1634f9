"""The worklog's "Test Categories Status" table: one row per scope or attempted command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gardener.model import Attempt, Finding, Result, RunReport
from gardener.scopes import ScopeSpec, Selector, result_path, scope_of
from gardener.view.common import Ctx, humanise

ICONS = {"BLOCKED": "🚨", "FAILING": "❌", "WORKING": "✅", "UNKNOWN": "⚠️"}


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    scope: str | None
    command: str | None


TEST_ROOTS = ("tests", "test", "spec", "specs", "__tests__")


def inferred_scopes(report: RunReport) -> tuple[ScopeSpec, ...]:
    """Without configured scopes, the directories under the test root are the categories a person
    would name (tests/integration, tests/unit)."""
    names: dict[str, str] = {}
    for f in report.findings:
        for r in f.results:
            parts = result_path(r).split("/")
            if len(parts) >= 3 and parts[0] in TEST_ROOTS:
                names.setdefault(parts[1], f"{parts[0]}/{parts[1]}/*")
    return tuple(ScopeSpec(name, Selector(paths=(glob,))) for name, glob in sorted(names.items()))


def _rows(report: RunReport, scopes: Sequence[ScopeSpec]) -> list[Row]:
    rows = [Row(s.name, s.name, None) for s in scopes]
    known = {s.name for s in scopes}
    for a in report.attempts:
        if a.scope and a.scope not in known:
            rows.append(Row(a.scope, a.scope, None))
            known.add(a.scope)
        elif not a.scope:
            rows.append(Row(a.name, None, a.name))
    return rows


def _belongs(r: Result, row: Row, scopes: Sequence[ScopeSpec]) -> bool:
    if row.command is not None:
        props = dict(r.properties)
        step = props.get("step", "").removeprefix("Run ")
        return props.get("command") == row.command or step == row.command
    return scope_of(r, scopes) == row.scope


def _global_blockers(findings: Sequence[Finding], scopes: Sequence[ScopeSpec]) -> list[Finding]:
    """P0 infrastructure findings tied to no scope: they stop every category of tests."""
    return [
        f for f in findings
        if f.priority == "P0" and f.layer in ("infrastructure", "environment")
        and all(scope_of(r, scopes) is None and "command" not in dict(r.properties) for r in f.results)
    ]


def _row_status(row: Row, report: RunReport, scopes: Sequence[ScopeSpec], ctx: Ctx) -> dict[str, Any]:
    findings = [f for f in report.findings if any(_belongs(r, row, scopes) for r in f.results)]
    attempts = [a for a in report.attempts if (a.name == row.command if row.command else a.scope == row.scope)]
    by_id = {f.id: f for f in report.findings}
    blockers = [by_id[b] for f in findings for b in f.blocked_by if b in by_id]
    if row.command is None:  # a test category stopped by broken infrastructure of its own is blocked
        blockers += [f for f in findings if f.layer in ("infrastructure", "environment") and f.priority == "P0"]
    ran_clean = any(a.status in ("SUCCESS", "SUCCESS WITH WARNINGS") for a in attempts)
    if not findings and not ran_clean and not blockers:
        blockers = _global_blockers(report.findings, scopes) if _tried(attempts) or not attempts else []
    status, factor = _decide(findings, blockers, attempts, ran_clean, ctx)
    return {
        "name": ctx.inline(humanise(row.name) if row.command is None else row.name, 80),
        "status": status,
        "icon": ICONS[status],
        "issues": ", ".join(dict.fromkeys(humanise(f.category) for f in findings)) or "-",
        "factor": factor,
    }


def _tried(attempts: Sequence[Attempt]) -> bool:
    return any(a.status in ("FAILED", "TIMED OUT") for a in attempts)


def _decide(findings: Sequence[Finding], blockers: Sequence[Finding], attempts: Sequence[Attempt],
            ran_clean: bool, ctx: Ctx) -> tuple[str, str]:
    if blockers:
        return "BLOCKED", ctx.inline(blockers[0].title, 120)
    real = [f for f in findings if f.category != "flaky-test"]
    if real:
        return "FAILING", ctx.inline(real[0].title, 120)
    if findings:  # every failure passed on a retry: the category works, flakily
        return "WORKING", "flaky: " + ctx.inline(findings[0].title, 110)
    if ran_clean:
        warned = [a for a in attempts if a.status == "SUCCESS WITH WARNINGS"]
        return "WORKING", ctx.inline(warned[0].key_error, 120) if warned else "-"
    not_run = [a for a in attempts if a.status == "NOT RUN"]
    return "UNKNOWN", ctx.inline(not_run[0].key_error, 120) if not_run else "Not tested"


def category_rows(report: RunReport, scopes: Sequence[ScopeSpec], ctx: Ctx) -> list[dict[str, Any]]:
    scopes = tuple(scopes) or inferred_scopes(report)
    return [_row_status(row, report, scopes, ctx) for row in _rows(report, scopes)]
