"""`classify --json` builds each finding's JSON clean as it goes (serialize.redacted_finding_dict): the same value as
redacting the plain dict afterwards, for findings of one result and of many, with secrets, mentions and markup in
their test ids, titles and evidence."""

from __future__ import annotations

from dataclasses import replace

from gardener.classify import find
from gardener.model import Source
from gardener.serialize import finding_dict, redacted, redacted_finding_dict
from tests.rules.helpers import failing_test, log_incident

_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def _results() -> list:
    out = [failing_test(f"tests/test_m.py::test_{i}", f"AssertionError: assert {i} == {i + 1}",
                        details=f"AssertionError: assert {i} == {i + 1}", error_type="AssertionError")
           for i in range(5)]
    out += [failing_test(f"tests/@team{i}/test_x.py::test_refused", "ConnectionRefusedError: [Errno 111] refused",
                         details=f"token={_TOKEN}\n::set-output name=x::y\n<!-- hidden -->\nConnectionRefusedError: "
                                 "[Errno 111] Connection refused", error_type="ConnectionRefusedError",
                         path=f"reports/@owner/{i % 3}.xml") for i in range(30)]
    out.append(replace(log_incident(f"npm ERR! 404 Not Found #12 {_TOKEN}\nnpm ERR! code E404", path="job @x.log"),
                       source=Source("job @x.log", "log"), properties=(("job", "build ::warning::"),)))
    return out


def test_the_finding_json_built_clean_is_the_plain_one_redacted() -> None:
    findings = find(_results())
    assert len(findings) >= 3 and any(len(f.results) > 8 for f in findings)
    for f in findings:
        assert redacted_finding_dict(f) == redacted(finding_dict(f))
    text = repr([redacted_finding_dict(f) for f in findings])
    assert _TOKEN not in text and "@team" not in text and "<!--" not in text
