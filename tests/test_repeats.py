"""One failure read as two log incidents of one step (gardener/repeats.py): the part naming nothing joins it."""

from __future__ import annotations

from dataclasses import replace

from gardener.classify import find
from gardener.config import Config
from tests.rules.helpers import failing_test, log_incident

# composer require: the verdict with its problem list, then the verdict again after it reverts composer.json.
NAMED = """Your requirements could not be resolved to an installable set of packages.

  Problem 1
    - Root composer.json requires acme/widgets ^4.2, found acme/widgets[4.0.0, 4.1.3] but it does not match."""
BARE = """Installation failed, reverting ./composer.json and ./composer.lock to their original content.
Your requirements could not be resolved to an installable set of packages."""


def _in_step(text: str, line: int, step: str, path: str = "job-php.log") -> object:
    return replace(log_incident(text, path=path, line=line), properties=(("step", step),))


def test_the_incident_naming_nothing_joins_the_one_naming_the_package_in_its_step() -> None:
    findings = find([_in_step(NAMED, 40, "composer require"), _in_step(BARE, 52, "composer require")], Config())
    assert len(findings) == 1, [f.title for f in findings]
    assert "acme/widgets" in findings[0].title and len(findings[0].results) == 2


def test_another_step_another_file_or_a_far_line_keeps_its_own_finding() -> None:
    other_step = find([_in_step(NAMED, 40, "composer require"), _in_step(BARE, 90, "composer install")], Config())
    other_file = find([_in_step(NAMED, 40, "composer require"), _in_step(BARE, 52, "composer require", "b.log")],
                      Config())
    far = find([_in_step(NAMED, 40, "composer require"), _in_step(BARE, 400, "composer require")], Config())
    assert len(other_step) == 2 and len(other_file) == 2 and len(far) == 2


def test_a_test_is_never_joined_to_a_log_incident() -> None:
    test = failing_test("tests/InstallTest.php::InstallTest::testResolves", "Your requirements could not be "
                        "resolved to an installable set of packages.")
    findings = find([_in_step(NAMED, 40, "composer require"), test], Config())
    assert any(f.results == (test,) for f in findings), [f.title for f in findings]
