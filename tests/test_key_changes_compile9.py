"""key-v7's declared change for compile.makepkg's new veto (session 9, generic-compile): makepkg's failed check() is
the package's tests failing, so the test's own rule wins it now; its key before was compile.makepkg's, and older_keys
gives it. A failed build() is still the package build's and keeps its key."""

from __future__ import annotations

from gardener.classify import analyse
from gardener.cluster import Cluster
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from tests.factories import result

CHECK = """---- tests::parses_the_url stdout ----
thread 'tests::parses_the_url' panicked at src/url.rs:653:43:
assertion `left == right` failed
  left: "https://example.com/org/repo.git"
 right: "org/repo"
test result: FAILED. 120 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.07s
error: test failed, to rerun pass `--lib`
==> ERROR: A failure occurred in check().
    Aborting..."""
BUILD = """==> Starting build()...
make: *** No rule to make target 'all'.  Stop.
==> ERROR: A failure occurred in build().
    Aborting..."""


def _one(message: str, details: str) -> tuple[Finding, Cluster]:
    analysis = analyse([result("job.log::build", message=message, details=details)], Config())
    ((f,), *_) = [analysis.findings]
    return f, analysis.clusters[f.id]


def test_a_failed_check_is_the_tests_and_answers_to_the_makepkg_key_before() -> None:
    f, cluster = _one("==> ERROR: A failure occurred in check().", CHECK)
    assert f.rule_id != "compile.makepkg" and f.category != "compile-error"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v6" in back and back["key-v6"] != cluster.lead.key
    assert "check()" in back["key-v6"]


def test_a_failed_build_keeps_the_makepkg_key() -> None:
    f, cluster = _one("==> ERROR: A failure occurred in build().", BUILD)
    assert f.rule_id == "compile.makepkg"
    assert "key-v6" not in dict(older_keys(KeyInput(cluster.lead)))
