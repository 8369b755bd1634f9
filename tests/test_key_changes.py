"""Key-text changes (gardener/key_changes.py): each gives back the key the code before it gave, and a finding
carries the digests of those keys as aliases (gardener/aliases.py). The sandbox half (an issue filed by an earlier
version is found, not filed again) is tests/github/test_key_aliases.py."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from gardener.aliases import finding_aliases
from gardener.classify import analyse
from gardener.cluster import Cluster
from gardener.config import Config
from gardener.key_changes import KEY_CHANGES, KEY_VERSIONS, KeyInput, older_keys
from gardener.model import Finding, Result
from gardener.normalize import with_aliases
from gardener.rules.engine import Evidence
from gardener.rules.keys import KEY_V2_READERS, KEY_V4_READERS, READERS, failing_location, key_of
from tests.factories import result

SHORT_TB = """\
tests/conftest.py:41: in migrated_db
    command.upgrade(cfg, "head")
migrations/env.py:88: in <module>
    run_migrations_online()
.venv/lib/python3.12/site-packages/psycopg/cursor.py:732: in execute
    raise ex.with_traceback(None)
E   sqlalchemy.exc.ProgrammingError: (psycopg.errors.DuplicateColumn) column "tenant_id" already exists"""
LONG_TB = """\
    def test_total():
>       assert total([1, 2]) == 4

tests/test_sum.py:5:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _

    def total(xs):
>       raise ValueError("empty")
E       ValueError: empty

src/sums.py:2: ValueError"""
VITEST = """\
Error: ENOENT: no such file or directory, open '/tmp/vitest-export-ErPZDS/out/report.csv'
 \u276f Object.openSync node:fs:573:18
 \u276f writeReport src/export/csv.ts:41:14
 \u276f src/export/csv.test.ts:22:5"""


def test_pytest_and_vitest_frames_locate_the_innermost_code() -> None:
    assert failing_location(SHORT_TB) == ".venv/lib/python3.12/site-packages/psycopg/cursor.py:execute"
    assert failing_location(LONG_TB) == "src/sums.py"
    assert failing_location(VITEST) == "src/export/csv.ts"  # node's own `node:fs` names no file
    # key-v2 read none of them
    assert [failing_location(t, KEY_V2_READERS) for t in (SHORT_TB, LONG_TB, VITEST)] == ["", "", ""]
    # a text an older reader locates keeps its location: readers are only ever added at the end
    plain = 'Traceback (most recent call last):\n  File "app/x.py", line 3, in run\nValueError: x\n' + SHORT_TB
    assert failing_location(plain) == failing_location(plain, KEY_V2_READERS) == "app/x.py:run"
    assert READERS[: len(KEY_V2_READERS)] == KEY_V2_READERS


def test_an_exception_name_the_message_already_says_is_not_said_again() -> None:
    def head(error_type: str, message: str) -> str:
        return Evidence.of(_typed(error_type, message)).fields["text"]

    assert head("AssertionError", "AssertionError: assert 90 == 5400") == "AssertionError: assert 90 == 5400"
    assert head("ProgrammingError", "sqlalchemy.exc.ProgrammingError: boom") == "sqlalchemy.exc.ProgrammingError: boom"
    assert head("ValueError", "bad value") == "ValueError: bad value"
    assert head("Error", "ErrorBoundary: x") == "Error: ErrorBoundary: x"  # a longer name is not the type


def _typed(error_type: str, message: str, test: str = "tests/t.py::test_x", details: str = "") -> Result:
    return replace(result(test, message=message, details=details), error_type=error_type)


def _classified(results: list[Result]) -> list[tuple[Finding, Cluster]]:
    analysis = analyse(results, Config())
    return [(f, analysis.clusters[f.id]) for f in analysis.findings]


def test_the_doubled_exception_name_is_the_key_v2_key() -> None:
    r = _typed("AssertionError", "AssertionError: assert 90 == 5400", "tests/test_d.py::test_parse")
    ((f, cluster),) = _classified([r])
    assert "AssertionError: AssertionError" not in f.signature.text
    older = dict(older_keys(KeyInput(cluster.lead)))
    doubled = "tests/test_d.py::test_parse :: AssertionError: AssertionError: assert 90 == 5400"
    assert older == {"key-v2": doubled, "key-v1": doubled}  # every earlier version whose key differs


def test_a_location_read_from_pytest_frames_was_keyed_by_the_test_before() -> None:
    rs = [_typed("ProgrammingError", "sqlalchemy.exc.ProgrammingError: boom", f"tests/test_i.py::test_{i}",
                 details=SHORT_TB) for i in range(3)]
    ((f, cluster),) = _classified(rs)
    assert len(f.results) == 3
    older = [dict(older_keys(KeyInput(m)))["key-v2"] for m in cluster.members]
    assert older == [f"tests/test_i.py::test_{i} :: ProgrammingError" for i in range(3)]
    # the finding answers to each test's old finding
    aliases = finding_aliases((f,), {f.id: cluster})[f.id]
    alone = {with_aliases(f.signature, k).aliases[0] for k in older}  # each old key's digest on its own
    assert alone <= aliases and f.signature.digest in aliases


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[a-z]{1,8}(/[a-z_]{1,8}){0,3}", fullmatch=True),
                          st.from_regex(r"[a-z_]{1,10}", fullmatch=True), st.integers(1, 9999)),
                min_size=1, max_size=6))
def test_the_way_back_gives_what_the_key_v2_reading_keyed(frames: list[tuple[str, str, int]]) -> None:
    """Differential: the transform's key-v2 key equals the key built with key-v2's own location readers."""
    details = "\n".join(f"{path}.py:{line}: in {func}\n    x()" for path, func, line in frames) + "\nE   KeyError: 'k'"
    r = _typed("KeyError", "KeyError: 'k'", "tests/test_p.py::test_x", details=details)
    ((_, cluster),) = _classified([r])
    lead = cluster.lead
    assert lead.rule is not None and lead.rule.scope == "location"
    text = Evidence.of(r).fields["text"]
    line = lead.verdict.winner.line if lead.verdict.winner else ""
    v2 = key_of(lead.rule, line, lead.captures, r, text, failing_location(text, KEY_V2_READERS))
    assert dict(older_keys(KeyInput(lead)))["key-v2"] == v2
    assert lead.key != v2


def test_a_rule_added_in_key_v2_gives_back_the_key_of_the_rule_that_decided_before() -> None:
    rs = [_typed("ConnectionError", "redis.exceptions.ConnectionError: Error -3 connecting to cache:6379. "
                 "Temporary failure in name resolution.", f"tests/test_s.py::test_{i}") for i in range(2)]
    ((f, cluster),) = _classified(rs)
    assert f.rule_id == "network.name-not-resolved"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert set(back) == {"key-v1"} and not back["key-v1"].startswith("host does not resolve")


def test_a_failure_no_change_touches_has_only_its_mask_aliases() -> None:
    r = result("tests/t.py::test_x", message="Error 111 connecting to localhost:6379. Connection refused.")
    ((f, cluster),) = _classified([r])
    assert list(older_keys(KeyInput(cluster.lead))) == []
    assert finding_aliases((f,), {f.id: cluster})[f.id] == {f.signature.digest,
                                                             *with_aliases(f.signature, cluster.lead.key).aliases}


def test_every_change_names_a_known_version_after_the_first() -> None:
    assert all(c.version in KEY_VERSIONS[1:] for c in KEY_CHANGES)
    assert [KEY_VERSIONS.index(c.version) for c in KEY_CHANGES] == sorted(KEY_VERSIONS.index(c.version)
                                                                           for c in KEY_CHANGES)


RSPEC_RAISED = """\
  {n}) Notifications::Mailer sends email {n}
     Failure/Error: response = client.deliver(template_alias: "t{n}", to: user.email)

     Faraday::TooManyRequestsError:
       the server responded with status 429 for POST https://api.postmarkapp.com/email/withTemplate
     # ./vendor/bundle/ruby/3.3.0/gems/faraday-2.12.1/lib/faraday/response/raise_error.rb:43:in `on_complete'
     # ./app/clients/postmark_client.rb:28:in `deliver_with_template'
     # ./spec/integration/notifications_spec.rb:{n}5:in `block (2 levels) in <top (required)>'"""


def test_ruby_frames_locate_the_innermost_project_code() -> None:
    text = RSPEC_RAISED.format(n=1)
    assert failing_location(text) == "app/clients/postmark_client.rb:deliver_with_template"  # not the gem's frame
    assert failing_location(text, KEY_V4_READERS) == ""  # key-v4 read no Ruby frames
    minitest = "NoMethodError: undefined method `x' for nil\n    app/models/user.rb:12:in 'User#name'\n"
    assert failing_location(minitest) == "app/models/user.rb:name"
    only_gems = "    /usr/lib/ruby/3.3.0/net/http.rb:1603:in `connect'\n"
    assert failing_location(only_gems) == "/usr/lib/ruby/3.3.0/net/http.rb:connect"  # nothing of the project's
    assert READERS[: len(KEY_V4_READERS)] == KEY_V4_READERS


def test_examples_raising_one_exception_in_one_place_are_one_finding_answering_to_their_key_v4_keys() -> None:
    results = [replace(result(f"spec/n_spec.rb::sends email {n}", message="Faraday::TooManyRequestsError: the "
                              "server responded with status 429", details=RSPEC_RAISED.format(n=n)),
                       error_type="Faraday::TooManyRequestsError") for n in (1, 2, 3)]
    ((f, cluster),) = _classified(results)
    assert f.rule_id == "runtime.ruby-exception" and f.count == 3
    assert cluster.lead.key.startswith("app/clients/postmark_client.rb:deliver_with_template :: "
                                       "Faraday::TooManyRequestsError: the server responded")
    v4 = {dict(older_keys(KeyInput(m)))["key-v4"] for m in cluster.members}
    # key-v4 keyed each example by its test and the `Failure/Error:` line that raised
    assert v4 == {f"spec/n_spec.rb::sends email {n} :: Failure/Error: response = client.deliver(template_alias: "
                  f'"t{n}", to: user.email)' for n in (1, 2, 3)}
    aliases = finding_aliases((f,), {f.id: cluster})[f.id]
    assert {with_aliases(f.signature, k).aliases[0] for k in v4} <= aliases


XUNIT_HELPER = """\
Assert.Equal() Failure: Values differ
Expected: Unauthorized
Actual:   OK
   at Acme.Tests.Webhooks.WebhookTestBase.AssertRejected(HttpResponseMessage response) in /w/WebhookTestBase.cs:line 44
   at Acme.Tests.Webhooks.StripeWebhookTests.{test}() in /w/StripeWebhookTests.cs:line 31"""
JUNIT_IN_TEST = """\
org.opentest4j.AssertionFailedError: expected: <1> but was: <2>
\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)
\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:150)
\tat com.acme.MoneyTest.{test}(MoneyTest.java:58)"""


def test_two_tests_failing_one_helper_s_assertion_are_one_finding_answering_to_their_key_v5_keys() -> None:
    results = [result(f"Acme.Tests.Webhooks.StripeWebhookTests::{t}", message="Assert.Equal() Failure: Values differ",
                      details=XUNIT_HELPER.format(test=t)) for t in ("Verify_RejectsTamperedBody", "Verify_Expired")]
    ((f, cluster),) = _classified(results)
    assert f.count == 2 and f.title == "Assertion fails in WebhookTestBase.AssertRejected", f.title
    assert cluster.lead.key == "Acme.Tests.Webhooks.WebhookTestBase.AssertRejected :: Expected: Unauthorized"
    v5 = {dict(older_keys(KeyInput(m)))["key-v5"] for m in cluster.members}
    assert v5 == {f"{r.id} :: Expected: Unauthorized" for r in results}  # key-v5 keyed each by its test
    aliases = finding_aliases((f,), {f.id: cluster})[f.id]
    assert {with_aliases(f.signature, k).aliases[0] for k in v5} <= aliases


def test_an_assertion_in_the_test_itself_or_the_framework_is_still_keyed_by_its_test() -> None:
    # JUnit's own frames come first (another package); the innermost frame of the test's package is the test.
    results = [result(f"com.acme.MoneyTest::{t}", message="expected: <1> but was: <2>",
                      details=JUNIT_IN_TEST.format(test=t)) for t in ("allocates", "rounds")]
    assert sorted(c.lead.key for _, c in _classified(results)) == [
        "com.acme.MoneyTest::allocates :: org.opentest4j.AssertionFailedError: expected: <1> but was: <2>",
        "com.acme.MoneyTest::rounds :: org.opentest4j.AssertionFailedError: expected: <1> but was: <2>",
    ]
    # A helper frame the test does not call further down (a stack cut short) is not the test's helper.
    cut = XUNIT_HELPER.format(test="X").rsplit("\n", 1)[0]
    r = result("Acme.Tests.Webhooks.StripeWebhookTests::X", message="Assert.Equal() Failure", details=cut)
    ((_, cluster),) = _classified([r])
    assert cluster.lead.key.startswith("Acme.Tests.Webhooks.StripeWebhookTests::X :: ")
