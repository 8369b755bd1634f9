"""Step labels from the CI systems that print only markers (gardener/ingest/runner_log/markers.py)."""

from __future__ import annotations

import pytest

from gardener.ingest.runner_log.markers import MarkerSteps
from gardener.text import clean_line


def labels(lines: list[str]) -> list[str]:
    steps = MarkerSteps()
    return [label for raw in lines if (label := steps.feed(clean_line(raw))) is not None]


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (["travis_fold:start:install", "$ bundle install", "travis_fold:end:install", "$ bundle exec rspec"],
         ["install", "bundle install", "bundle exec rspec"]),
        (["~~~ Preparing working directory", "--- :hammer: Build", "--- FAIL: TestX (0.01s)", "--- a/main.go",
          "+++ b/main.go", "+++ Test"], ["Preparing working directory", ":hammer: Build", "Test"]),
        (["##[section]Starting: dotnet test", "##[error]Dotnet command failed", "##[section]Finishing: dotnet test"],
         ["dotnet test"]),
        (["#!/bin/bash -eo pipefail", "", "bundle install --path vendor/bundle", "Fetching gem metadata"],
         ["bundle install --path vendor/bundle"]),
    ],
    ids=["travis", "buildkite", "azure", "circleci"],
)
def test_each_system_s_steps(lines: list[str], want: list[str]) -> None:
    assert labels(lines) == want


@pytest.mark.parametrize(
    "lines",
    [
        ["$ pytest -q", "--- FAIL: TestX (0.01s)", "+++ b/file.py"],  # a plain console: no system shown
        ["=== RUN   TestX", "--- FAIL: TestX (0.01s)", "--- PASS: TestY (0.00s)"],  # go test
        ["diff -u a.go.orig a.go", "--- a.go.orig", "+++ a.go"],  # a diff
    ],
)
def test_lines_that_only_look_like_markers_are_not_steps(lines: list[str]) -> None:
    assert labels(lines) == []
