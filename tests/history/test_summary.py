"""The pure summaries, table-tested: rates, streaks, suspect range, clean runs, sparkline, history line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gardener.history.summary import (
    Obs,
    clean_runs,
    daily,
    finding_history,
    history_line,
    rate,
    sparkline,
    streak,
    suspect,
)
from gardener.history.window import parse_age
from gardener.model import FindingHistory, Seen

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def obs(pattern: str, step: timedelta = timedelta(hours=6)) -> tuple[Obs, ...]:
    """`P` passed, `F` failed, `S` skipped, `K` flaky; the last one at NOW, each `step` apart."""
    word = {"P": "passed", "F": "failed", "S": "skipped", "K": "flaky"}
    n = len(pattern)
    return tuple(Obs(i, NOW - step * (n - 1 - i), f"{i:07d}", word[c]) for i, c in enumerate(pattern))


@pytest.mark.parametrize(("pattern", "state", "runs", "since_run"), [
    ("PPF", "failing", 1, 2),
    ("PFFSF", "failing", 3, 1),
    ("FFPP", "passing", 2, 2),
    ("KP", "passing", 1, 1),
    ("SS", None, 0, None),
])
def test_streak(pattern: str, state: str | None, runs: int, since_run: int | None) -> None:
    s = streak(obs(pattern))
    if state is None:
        assert s is None
        return
    assert s is not None and (s.state, s.runs) == (state, runs)
    assert s.since is not None and s.since.sha == f"{since_run:07d}"


@pytest.mark.parametrize(("pattern", "good", "bad"), [
    ("PPFF", "0000001", "0000002"),
    ("FF", None, "0000000"),
    ("PFSPF", "0000003", "0000004"),
])
def test_suspect_range(pattern: str, good: str | None, bad: str) -> None:
    s = suspect(obs(pattern))
    assert s is not None and (s.good.sha if s.good else None, s.bad.sha) == (good, bad)


def test_no_suspect_when_passing_and_clean_runs_skip_nothing() -> None:
    assert suspect(obs("FFP")) is None
    assert [o.run for o in clean_runs(obs("FPSPP"))] == [1, 3, 4]
    assert clean_runs(obs("PPF")) == ()


def test_rate_counts_only_runs_that_executed_the_test() -> None:
    o = obs("PFSKPF")  # 6 hours apart, ending NOW
    assert (rate(o, NOW - timedelta(days=30)).failures, rate(o, NOW - timedelta(days=30)).runs) == (3, 5)
    r = rate(o, NOW - timedelta(hours=13))  # the last three: K, P, F
    assert (r.failures, r.runs, r.text()) == (2, 3, "2/3 (67%)")
    assert rate((), NOW).text() == "no runs"


def test_daily_buckets_and_sparkline() -> None:
    days = daily(obs("PPFF", step=timedelta(days=1)) + obs("F"), NOW, 5)
    assert days == ((0, 0), (0, 1), (0, 1), (1, 1), (2, 2))
    assert sparkline(days) == "·▁▁██"
    assert sparkline(((1, 4), (1, 2), (3, 4), (0, 3))) == "▃▅▇▁"


def test_history_line() -> None:
    first = Seen(datetime(2026, 11, 28, 9, tzinfo=UTC), "abc1234def")
    h = FindingHistory(runs=20, failures=7, first_seen=first, last_seen=first)
    assert history_line(h) == "failed in 7 of the last 20 runs (35%), first seen 2026-11-28 at abc1234"
    assert history_line(FindingHistory(1, 1, first, first)) is None  # only this run: nothing to say
    assert history_line(None) is None
    fh = finding_history(obs("PPFPF" * 5), first, first, NOW, last=20)
    assert (fh.runs, fh.failures, len(fh.daily)) == (20, 8, 14)


@pytest.mark.parametrize(("text", "seconds"), [("90m", 5400), ("36h", 129600), ("7d", 604800), ("2w", 1209600)])
def test_parse_age(text: str, seconds: int) -> None:
    assert parse_age(text) == timedelta(seconds=seconds)


def test_parse_age_rejects_in_one_line() -> None:
    from gardener.history.errors import HistoryError

    with pytest.raises(HistoryError, match="not an age"):
        parse_age("7 days")
