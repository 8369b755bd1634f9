"""A traceback whose every line repeats a prefix (a process label, a tool's tag) still ends at its exception line."""

from __future__ import annotations

from gardener.ingest.runner_log.tracebacks import DONE, MORE, Traceback


def test_a_prefixed_traceback_ends_at_its_exception() -> None:
    lines = [
        "worker.1: Traceback (most recent call last):",
        'worker.1:   File "/app/jobs.py", line 8, in <module>',
        "worker.1:     run()",
        "worker.1: KeyError: 'QUEUE_URL'",
    ]
    tb = Traceback.begin(1, lines[0], [])
    states = [tb.feed(n, text) for n, text in enumerate(lines[1:], 2)]
    assert states == [MORE, MORE, DONE]
    assert (tb.exception, tb.error_type, tb.frame) == ("KeyError: 'QUEUE_URL'", "KeyError", ("/app/jobs.py", 8))


def test_a_log_levels_prefix_on_the_header_alone_changes_nothing() -> None:
    tb = Traceback.begin(1, "ERROR:    Traceback (most recent call last):", [])
    assert tb.feed(2, '  File "/app/a.py", line 1, in <module>') == MORE
    assert tb.feed(3, "ValueError: bad") == DONE
