"""A wrapper that joins a finding's cause can say what the cause stopped (priority.decide_priority): `next start`
finding no build output means the app server the tests need never started, so the type error that left it unbuilt
is P0; the same type error with no server left unstarted keeps compile-error's P1 (a `next build` type check
failing the job, issue 12 item 3: the default moves only on evidence)."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from tests.rules.helpers import log_incident

TYPE_ERROR = ("Failed to compile.\n\n./src/app/api/register/route.ts:24:7\n"
              "Type error: Type '{ name: any; }' is not assignable to type 'UserCreateInput'.")
NOT_BUILT = ("Error: Could not find a production build in the '.next' directory. Try building your app with "
             "'next build' before starting the production server.")


def test_a_type_error_alone_keeps_the_categorys_p1() -> None:
    (f,) = find([log_incident(TYPE_ERROR, path="build.log")], Config())
    assert (f.category, f.priority) == ("compile-error", "P1")


def test_a_type_error_that_left_the_server_unstarted_is_p0_and_says_why() -> None:
    findings = find([log_incident(TYPE_ERROR, path="e2e.log"), log_incident(NOT_BUILT, path="e2e.log", line=40)],
                    Config())
    (f,) = findings
    assert (f.category, f.priority) == ("compile-error", "P0")
    assert "raised to P0" in f.priority_reason and "never built" in f.priority_reason
