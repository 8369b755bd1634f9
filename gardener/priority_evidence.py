"""Priority moved by what the run shows about a failure's reach, after the category's own judgement
(priority.py): the reason says each move in words.

- How much fails: a test-level failure (an assertion, an exception, a per-test timeout, an unknown
  cause) whose run summary (or, without one, the run's reported tests) shows at least 5 failing tests that
  are at least half of those run is one step more urgent (P2 → P1); a handful among many, or one
  parametrised case, keeps the default, and the reason says how little fails.
- A job that is allowed to fail (GitLab `allow_failure`, Actions `continue-on-error`, Travis allowed
  failures, Azure `succeededWithIssues`, Buildkite `soft_fail`) blocks no pipeline: one step less urgent.
- A failure in a job whose own verdict is success all the same (Jenkins' `Finished: SUCCESS` after a stage inside
  `catchError(buildResult: 'SUCCESS')`, GitLab's `Job succeeded`: runner_log/job_verdict.py) failed nothing: P3.
- A third party's outage (a 5xx answered by a host the project does not own: a package registry, an
  API; or its 429, a rate limit throttling the job; or its expired TLS certificate; or a package mirror caught
  mid-sync, whose index apt refuses as a Hash Sum mismatch) is not the project's
  defect and passes when the host recovers: P1, whatever the category says (it still stops the job; there
  is nothing to fix in the repository). The reason names the host and its answer even when a rule for the
  outage already set P1.
- A job cancelled while another job of the run failed (fail-fast, a run cancelled on failure: the
  Actions source sets `cancelled_after`) shows a consequence, not a cause: P3, naming the failed jobs.
- A failure seen in only one platform of a matrix whose other platforms ran (`test (windows-latest)`
  failing while `test (ubuntu-latest)` and `test (macos-latest)` ran without it) is narrower than one
  every platform shows: lowered one step (never below P3), naming the platform. A compile or syntax error
  is not: the code does not build on that platform, so nothing at all was tested there (a Swift package that
  needs FoundationNetworking on Linux); nor is any failure of a platform's job in which no test reported a
  result (a cargo build script that cannot write its output on Windows stopped the job before its tests), unless
  it is a third party's outage (a registry's 429 on the arm leg passes when retried).
- A test failure that stops the build (Maven's reactor skips every module after the failed one: `api .....
  SKIPPED`) leaves those modules untested: one step more urgent (P2 → P1), naming the skipped modules.
- A collection-layer failure (a compile error, a syntax or import error) in a CI step that runs the tests,
  in a run where no test reported any result (nor a run summary counted one passing), stopped that test step
  before any test ran: nothing was tested, so P0 (`cargo test` compiles every test target before it runs one).

`facts_of` reads those facts from a finding's results and the run's jobs; `adjust` is the decision.
Both are pure: the same results give the same priority.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from gardener import regex as re
from gardener.evidence_refs import job_of
from gardener.model import ALSO_IN_STEPS, JOB_LOG, PRIORITIES, RUN_COUNTS, SKIPPED_MODULES, Priority, Result
from gardener.numbers import bounded_int
from gardener.rules.endpoints import canonical_host

# Properties a source may set on a job's results (the Actions and GitLab job records say so).
ALLOWED_TO_FAIL_PROPERTIES = ("allow_failure", "continue_on_error")
_ALLOWED_TEXT = re.lazy(
    r"(?i)\ballow_failure: true\b|\bcontinue-on-error: true\b|\bjob (?:is )?allowed to fail\b|\(?allowed to fail\)?"
    r"|\ballowed failures?\b|\bsucceededWithIssues\b|\bsoft_fail\b|\bfailure (?:is )?ignored\b"
)
# GNU make after a recipe line with the `-` prefix failed: make went on (no `***`). It speaks of the command above it,
# so it counts only after the failure's own line, before any fatal `make: ***` (the next target's failure).
_MAKE_IGNORED = re.lazy(r"\bmake(?:\[\d+\])?: \[[^\]\n]+\] Error \d+ \(ignored\)")
_MAKE_FATAL = re.lazy(r"\bmake(?:\[\d+\])?: \*\*\* ")
# A job named for it (`nightly (allowed to fail)`, `docs-allow-failure`, `lint-continue-on-error`).
_ALLOWED_JOB = re.lazy(
    r"(?i)\ballow(?:ed)?[-_ ]to[-_ ]fail|\ballow[-_]failures?\b|\bcontinue[-_]on[-_]error\b|\bsoft[-_]fail"
)
# A run summary: how many tests failed of how many ran (RSpec, ExUnit, minitest, pytest, jest, dotnet,
# surefire, ctest, TAP, a plain `N passed, N failed`).
_SUMMARIES = (
    (re.lazy(r"(?P<total>\d+) (?:examples?|tests?|specs?|runs?), (?:\d+ assertions?, )?(?P<failed>\d+) failures?"),
     False),
    # Surefire/JUnit count a test that threw apart from one whose assertion failed: both are tests that failed.
    (re.lazy(r"Tests run: (?P<total>\d+), Failures: (?P<failed>\d+)(?:, Errors: (?P<errors>\d+))?"), False),
    (re.lazy(r"Tests?:\s+(?P<failed>\d+) failed, (?:\d+ \w+, )*(?P<total>\d+) total"), False),
    (re.lazy(r"(?P<failed>\d+) tests? failed out of (?P<total>\d+)"), False),
    (re.lazy(r"Failed:\s+(?P<failed>\d+), Passed:\s+(?P<passed>\d+)"), True),
    (re.lazy(r"(?P<passed>\d+) passed, (?P<failed>\d+) failed"), True),
    (re.lazy(r"(?P<failed>\d+) failed, (?P<passed>\d+) passed"), True),
    (re.lazy(r"(?P<passed>\d+) succeeded\s+(?P<failed>\d+) failed"), True),
    # More runners (issue 12): Gradle, ScalaTest, specs2/sbt, PHPUnit, XCTest, TAP's prove, cargo test, mocha,
    # Pester.
    (re.lazy(r"(?P<total>\d+) tests? completed, (?P<failed>\d+) failed"), False),
    (re.lazy(r"Tests: succeeded (?P<passed>\d+), failed (?P<failed>\d+)"), True),
    (re.lazy(r"Failed: Total (?P<total>\d+), Failed (?P<failed>\d+)"), False),
    (re.lazy(r"Tests: (?P<total>\d+), Assertions: \d+, (?:Errors: (?P<errors>\d+), )?Failures: (?P<failed>\d+)"),
     False),
    (re.lazy(r"Executed (?P<total>\d+) tests?, with (?P<failed>\d+) failures?"), False),
    (re.lazy(r"Failed (?P<failed>\d+)/(?P<total>\d+) (?:subtests|test programs)"), False),
    (re.lazy(r"(?P<passed>\d+) passed; (?P<failed>\d+) failed"), True),
    (re.lazy(r"(?P<passed>\d+) passing \([^)\n]*\)\s+(?P<failed>\d+) failing"), True),
    (re.lazy(r"Passed: (?P<passed>\d+),? Failed: (?P<failed>\d+)"), True),
    # Bazel's test summary (`Executed 13 out of 15 tests: 13 tests pass and 2 fail to build.`).
    (re.lazy(r"Executed \d+ out of \d+ tests?: (?P<passed>\d+) tests? pass(?:es)? and (?P<failed>\d+) fails? "
             r"(?:to build|locally|remotely)"), True),
    # Playwright's closing lines: `31 failed`, the failed tests listed one a line, then `11 passed (36.3m)`. Only its
    # own indented lines lie between (a run whose every test failed prints no passed line: a later run's is not it).
    (re.lazy(r"(?m)^[ \t]*(?P<failed>\d+) failed[ \t]*\n(?:[ \t]+\S[^\n]*\n|[ \t]*\n)*?"
             r"[ \t]*(?P<passed>\d+) passed \("), True),
)
BULK_MIN_FAILED = 5
# A failure that leaves nothing built on its platform: one platform of a matrix failing so is not narrower.
BUILDS_NOTHING = ("compile-error", "syntax-error")
TEST_LEVEL = ("assertion-failure", "runtime-exception", "timeout-hang", "unclassified")
# A 5xx answer with the URL (or host) it came from, as package managers, curl and HTTP clients print it.
_SERVER_ERROR = re.lazy(
    r"(?i)\b(?P<status>50[0-4])\b[^\n]{0,80}?https?://(?P<host>[\w.-]+)"
    r"|https?://(?P<host2>[\w.-]+)[^\s]*[^\n]{0,80}?\b(?:status(?: code)?:? |returned (?:error: )?|HTTP/[\d.]+ )"
    r"(?P<status2>50[0-4])\b"
    # A registry's or API's answer as HTTP clients print it after the URL, with its reason phrase: a 429 is the
    # host throttling this job (a rate limit), which passes like an outage when retried or authenticated.
    r"|https?://(?P<host3>[\w.-]+)[^\s]*:? (?P<status3>429|50[0-4]) (?:Too Many Requests|Internal Server Error"
    r"|Bad Gateway|Service Unavailable|Gateway Time-?out)\b"
    # A client that says the status first (Faraday's `the server responded with status 429 for POST https://...`,
    # `HTTP 429 ... from https://...`): a 429 only when said as a status, never a bare number before a URL.
    r"|(?:\bstatus(?: code)?:? |\bHTTP(?:/[\d.]+)? )(?P<status4>429)\b[^\n]{0,80}?https?://(?P<host4>[\w.-]+)"
    # go-retryablehttp's error handler in HashiCorp tools, after its retries (`registry.terraform.io/hashicorp/aws: the
    # request failed after 2 attempts, please try again later: 502`), perhaps wrapped in Terraform's `│ ` box.
    r"|(?P<host5>[\w-]+(?:\.[\w-]+)+)/[^\s:]*: the request failed(?: after \d+ attempts)?,(?:\s|│)*"
    r"please try again later: (?P<status5>50[0-4])\b"
)
# An HTTP client saying its request failed with a 5xx without the URL on that line (axios's `Request failed with status
# code 503`, got's `Response code 503 (Service Unavailable)`, .NET's HttpClient `Response status code does not indicate
# success: 503 (Service Unavailable).` and WebException `The remote server returned an error: (502) Bad Gateway.`):
# the host is the dumped request's `url:`, or the NuGet source the restore could not load (`error NU1301: Unable to
# load the service index for source https://api.nuget.org/v3/index.json.`, the status on NU1301's next line). A bare
# `status: 503` is not enough (a test's own log of its service's answer beside an unrelated config URL).
_BARE_SERVER_STATUS = re.lazy(
    r"(?i)(?:\b(?:Request failed with status code|Response code|Response status code does not indicate success:) "
    r"|\bThe remote server returned an error: \()(?P<status>50[0-4])\b"
)
_REQUEST_URL = re.lazy(
    r"(?i)(?:\burl['\"]?\s*[:=]\s*['\"]?|\bservice index for source\s+'?)https?://(?P<host>[\w.-]+)"
)
# Cloudflare's own 52x answers (origin unreachable, timed out): the CDN in front, a third party, says so.
_CDN_ERROR = re.lazy(
    r"(?i)(?:server response|status(?: code)?|HTTP/[\d.]+|returned|error)[ :(]*(?P<status>52[0-7])\b"
)
# A public host's TLS certificate the client refused as expired or not yet valid: the host's owner must renew it.
_CERT_EXPIRED = re.lazy(
    r"(?i)https://(?P<host>[\w.-]+)[^\s\"']*\"?:? [^\n]{0,80}?certificate (?:has expired|is not yet valid)"
)
CERT_EXPIRED = "an expired TLS certificate"
# apt refusing an index a public repository served mid-sync: `E: Failed to fetch https://<host>/.../Packages.bz2  Hash
# Sum mismatch`, or `File has unexpected size (17314 != 17306). Mirror sync in progress?` (apt's own guess). The
# mirror is inconsistent for a while; a re-run passes once it is whole again, nothing in the repository is wrong.
_MIRROR_SYNC = re.lazy(
    r"(?i)\bFailed to fetch (?:https?|ftp)://(?P<host>[\w.-]+)\S*\s+"
    r"(?:Hash Sum mismatch|File has unexpected size [^\n]*Mirror sync in progress)"
)
MIRROR_SYNC = "an index that does not match its Release file (a mirror mid-sync)"
_PRIVATE = re.lazy(r"^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|localhost$|127\.)")
# A platform with its version and variants (`ubuntu-24.04-arm`, `macos-14-large`, `windows-2022`).
_PLATFORM = re.lazy(
    r"(?i)\b(?P<os>ubuntu|linux|windows|win(?:32|64)?|macos|mac|osx|darwin|freebsd|alpine)\b"
    r"(?:[-_ ][\w.]+)?(?:[-_][\w.]+){0,2}"
)
_MATRIX = re.lazy(r"^(?P<base>[^(]+?)\s*\((?P<values>[^)]*)\)\s*$")
# A CI step (its label or command) that runs the tests: a build tool's test goal or a test runner.
_TEST_STEP = re.lazy(
    r"(?i)\b(?:cargo|go|dotnet|mix|npm|yarn|pnpm|bun|mvn|mvnw|gradle|gradlew|sbt|swift|bazel|bazelisk|flutter|dart"
    r"|deno|zig|stack|cabal|lein|rake|make|composer)\b[^\n]*?\btest\b|\b(?:pytest|tox|nox|jest|vitest|mocha|rspec"
    r"|phpunit|ctest|xcodebuild test|prove|busted|pester|playwright test|cypress run)\b"
    r"|\bRun (?:the |all |unit |integration )*tests?\b"
    # Build tools' goals that compile and then run the tests: Gradle's `check`/`build`, Maven's `verify`/`install`/
    # `package`, `make check`.
    r"|\bgradlew?\b[^\n]*?\b(?:check|build)\b|\bmvnw?\b[^\n]*?\b(?:verify|install|package)\b|\bmake check\b"
    # dune's test alias (`dune build @runtest`, `dune runtest`, `dune test`; not `dune build @install` alone).
    r"|\bdune\b[^\n]*?(?:@runtest\b|\bruntest\b|\btest\b)"
)


# A build goal told not to run the tests (`mvn package -DskipTests`, `gradle build -x test`).
_SKIPS_TESTS = re.lazy(r"-DskipTests\b|-Dmaven\.test\.skip=true\b|(?:^|\s)-x\s+:?test\b|--exclude-task[= ]:?test\b")


@dataclass(frozen=True, slots=True)
class ReachFacts:
    """What the run shows about one finding's reach."""

    failed: int = 0  # the run summary's failing tests, and how many ran (0 when no summary was read)
    ran: int = 0
    allowed_to_fail: bool = False
    outage_host: str = ""  # a host the project does not own that answered 5xx
    outage_status: str = ""
    platform: str = ""  # the one platform of a matrix that fails, when the others ran
    platforms_ran: int = 0  # how many platforms of that matrix ran
    cancelled_after: str = ""  # every result is from a job cancelled while these jobs failed
    stopped_tests: str = ""  # the test step it stopped, when no test of the run reported a result
    one_case: str = ""  # the one parametrised case that fails, when the finding holds only that case
    skipped_modules: str = ""  # the modules the build skipped after this failure stopped it
    job_succeeded: bool = False  # every result's job finished successfully all the same (its failure caught)
    platform_untested: bool = False  # the one failing platform's job reported no test at all


def _lower(p: Priority, steps: int = 1) -> Priority:
    return PRIORITIES[min(len(PRIORITIES) - 1, PRIORITIES.index(p) + steps)]


def adjust(
    priority: Priority, reason: str, layer: str, facts: ReachFacts, category: str = ""
) -> tuple[Priority, str]:
    """The priority and reason after the reach facts; unchanged when none applies. Each move is one step
    at most, in the order the module docstring gives."""
    if (
        category in TEST_LEVEL and priority == "P2" and facts.failed >= BULK_MIN_FAILED
        and 2 * facts.failed >= facts.ran > 0
    ):
        priority = "P1"
        reason = f"{reason}; raised to P1: {facts.failed} of {facts.ran} tests fail in this run"
    elif category in TEST_LEVEL and priority == "P2" and facts.skipped_modules:
        # Little fails, but nothing after it was tested: the build stopped there.
        little = (f"only {facts.failed} of {facts.ran} tests fail in this run, but "
                  if facts.ran and 2 * facts.failed < facts.ran else "")
        priority = "P1"
        reason = (f"{reason}; raised to P1: {little}it stops the build, which skipped the modules after it "
                  f"({facts.skipped_modules}), so their tests never ran")
    elif category in TEST_LEVEL and (facts.ran or facts.one_case):
        # Not raised, and the reason says why in the run's own terms: how little of it fails.
        reach = [f"{facts.failed} of {facts.ran} tests fail in this run"] if facts.ran else []
        if facts.one_case:
            reach.append(f"only one parametrised case (`{facts.one_case}`) fails")
        reason = f"{reason}; not raised: {', '.join(reach)}"
    if facts.stopped_tests and layer == "collection" and priority != "P0":
        priority = "P0"
        reason = (f"{reason}; raised to P0: it stopped the test step `{facts.stopped_tests}` before any test ran "
                  "and no test of the run reported a result, so nothing was tested")
    if facts.job_succeeded and priority != "P3":
        priority = "P3"
        reason = (f"{reason}; set to P3: its job finished successfully all the same (Jenkins `Finished: SUCCESS`, "
                  "GitLab `Job succeeded`: a `catchError`, or a command allowed to fail, caught the failure), so it "
                  "failed nothing")
    if facts.allowed_to_fail and priority != "P3":
        priority = _lower(priority)
        reason = (f"{reason}; lowered to {priority}: it fails only where failure is allowed (a job or env allowed "
                  "to fail: allow_failure / continue-on-error / tox ignore_outcome / an error make ignored), so it "
                  "blocks no pipeline")
    if facts.outage_host:
        # Said even when the priority is already P1 (a rule for the outage set it): the host and its answer are
        # the evidence, and "rule X sets P1" alone does not say them.
        verb = "P1 stands" if priority == "P1" else "set to P1"
        priority = "P1"
        if facts.outage_status == CERT_EXPIRED:
            reason = (f"{reason}; {verb}: the TLS certificate of {facts.outage_host}, a host the project does not "
                      "own, has expired (nothing to fix in the repository)")
        elif facts.outage_status == MIRROR_SYNC:
            reason = (f"{reason}; {verb}: {facts.outage_host}, a package repository the project does not own, served "
                      f"{MIRROR_SYNC}: nothing in the repository is wrong, re-run once the mirror is consistent")
        elif facts.outage_status == "429":
            reason = (f"{reason}; {verb}: {facts.outage_host} answered 429 (a rate limit): a host the project does "
                      "not own throttles the job; nothing in the repository is wrong, retry or authenticate")
        else:
            reason = (f"{reason}; {verb}: {facts.outage_host} answered {facts.outage_status}, an outage of a host "
                      "the project does not own (it stops the job, but nothing in the repository is wrong; retry "
                      "once the host recovers)")
    if facts.cancelled_after and priority != "P3":
        priority = "P3"
        reason = (f"{reason}; lowered to P3: the job was cancelled while {facts.cancelled_after} failed in the same "
                  "run (fail-fast or a cancelled run), so what it shows follows from that failure")
        return priority, reason
    if facts.platform and priority != "P3" and category in BUILDS_NOTHING:
        reason = (f"{reason}; not lowered: only the {facts.platform} job of the matrix fails, but the code does not "
                  f"build there, so nothing at all was tested on {facts.platform}")
    elif facts.platform and priority != "P3" and facts.platform_untested and not facts.outage_host:
        # Stopped before its tests by the platform itself; a third party's outage on one leg is transient, narrower.
        reason = (f"{reason}; not lowered: only the {facts.platform} job of the matrix fails, but it failed before "
                  f"any test reported a result there, so nothing at all was tested on {facts.platform}")
    elif facts.platform and priority != "P3":
        lowered = _lower(priority)
        reason = (f"{reason}; lowered to {lowered}: only the {facts.platform} job of the matrix fails, the other "
                  f"{facts.platforms_ran - 1} platform(s) ran without it")
        priority = lowered
    return priority, reason


_FACTS_SET: re.PatternSet | None = None
_SERVER_AT, _CDN_AT = len(_SUMMARIES), len(_SUMMARIES) + 1  # after the summaries in _FACTS_SET
_ALLOWED_AT, _MAKE_AT = _CDN_AT + 1, _CDN_AT + 2  # then _allowed's text and make's `(ignored)`
_SUMMARY_SLOTS = frozenset(range(len(_SUMMARIES)))


def _facts_in(text: str) -> frozenset[int] | None:
    """Which of the run summaries, the 5xx, the CDN, the allowed-to-fail and make's ignored-error patterns match
    somewhere in `text`, from one pass (None: unknown, search each). Most texts hold none: a finding's reach costs
    one read of each text."""
    global _FACTS_SET
    if _FACTS_SET is None:
        patterns = (*(p for p, _ in _SUMMARIES), _SERVER_ERROR, _CDN_ERROR, _ALLOWED_TEXT, _MAKE_IGNORED)
        _FACTS_SET = re.PatternSet(tuple((p.pattern, p.flags) for p in patterns))
    return _FACTS_SET.matching(text)


def summary_counts(text: str, found: frozenset[int] | None = None) -> tuple[int, int]:
    """(failed, ran) from the first run summary in `text`, else (0, 0). `found`: `_facts_in(text)`."""
    if found is None:
        found = _facts_in(text)
    if found is not None and found.isdisjoint(_SUMMARY_SLOTS):  # no run summary anywhere in the text
        return 0, 0
    for i, (pattern, has_passed) in enumerate(_SUMMARIES):
        if found is not None and i not in found:
            continue
        m = pattern.search(text)
        if m is None:
            continue
        errors = m.groupdict().get("errors")  # a runner that counts errored tests apart (surefire, PHPUnit)
        failed = bounded_int(m.group("failed")) + (bounded_int(errors) if errors else 0)
        ran = failed + bounded_int(m.group("passed")) if has_passed else bounded_int(m.group("total"))
        return failed, ran
    return 0, 0


def outage_of(text: str, found: frozenset[int] | None = None) -> tuple[str, str]:
    """(host, status) of the first 5xx answered by a host that is not the project's (loopback, a private
    address, a CI service name without a domain), else ('', ''). `found`: `_facts_in(text)`."""
    if found is None:
        found = _facts_in(text)
    if found is None or _SERVER_AT in found:
        for m in _SERVER_ERROR.finditer(text):
            host = (m.group("host") or m.group("host2") or m.group("host3") or m.group("host4") or m.group("host5")
                    or "").lower()
            status = (m.group("status") or m.group("status2") or m.group("status3") or m.group("status4")
                      or m.group("status5") or "")
            if _in_a_number(text, m.start("status")):
                continue
            if _public(host):
                return host, status
    if "url" in text or "URL" in text or "source" in text:
        bare = _BARE_SERVER_STATUS.search(text)
        request = _REQUEST_URL.search(text) if bare is not None else None
        host = request.group("host").lower() if request is not None else ""
        if bare is not None and _public(host):
            return host, bare.group("status")
    if (found is None or _CDN_AT in found) and (cdn := _CDN_ERROR.search(text)) is not None:
        return "the CDN (Cloudflare)", cdn.group("status")
    if ("ash Sum mismatch" in text or "Mirror sync" in text) and (host := _first_public(_MIRROR_SYNC, text)):
        return host, MIRROR_SYNC
    if "certificate" in text and (host := _first_public(_CERT_EXPIRED, text)):
        return host, CERT_EXPIRED
    return "", ""


def _public(host: str) -> bool:
    """Whether `host` (lower case) is a named host on the internet, so not the project's own: a dotted name, not a
    private address, spelled as its canonical form."""
    return "." in host and not _PRIVATE.match(host) and canonical_host(host) == host


def _first_public(pattern: re.Pattern[str], text: str) -> str:
    """The first public host `pattern`'s `host` group names in `text`, else ''."""
    return next((host for m in pattern.finditer(text) if _public(host := m.group("host").lower())), "")


def _in_a_number(text: str, at: int) -> bool:
    """Whether the digits at `at` end a clock time or a decimal (`10:03:11.502 [error] ... https://...`, `1.503`):
    the milliseconds of a log line's stamp are no HTTP status."""
    return at >= 2 and text[at - 1] in ".:," and text[at - 2].isdigit()


def platform_of(job: str) -> tuple[str, str] | None:
    """(matrix, platform) of a job name: `test (windows-latest, 3.12)` → ('test|3.12', 'windows-latest'),
    `tests-macos-14` → ('tests', 'macos-14'); None when the name names no platform."""
    m = _MATRIX.match(job)
    if m:
        values = [v.strip() for v in m.group("values").split(",")]
        for i, value in enumerate(values):
            if _PLATFORM.fullmatch(value):
                rest = values[:i] + values[i + 1 :]
                return "|".join((m.group("base").strip(), *rest)), value
        return None
    found = _PLATFORM.search(job)
    if found is None:
        return None
    base = (job[: found.start()] + job[found.end() :]).strip(" -_.")
    return base, found.group(0)


def single_platform(finding_jobs: Iterable[str], run_jobs: Iterable[str]) -> tuple[str, int]:
    """(platform, platforms of its matrix that ran) when the finding is seen in exactly one platform of a
    matrix of two or more platforms in the run, else ('', 0)."""
    mine = {p for j in finding_jobs if (p := platform_of(j)) is not None}
    if len(mine) != 1 or len(set(finding_jobs)) != 1:
        return "", 0
    ((matrix, platform),) = mine
    ran = {p[1] for j in run_jobs if (p := platform_of(j)) is not None and p[0] == matrix}
    return (platform, len(ran)) if len(ran) >= 2 else ("", 0)


def facts_of(
    results: Sequence[Result],
    run_jobs: frozenset[str],
    tests_reported: bool = True,
    run_counts: tuple[int, int] = (0, 0),
    tested_jobs: frozenset[str] | None = None,
) -> ReachFacts:
    """The reach facts of one finding's results within a run whose jobs are `run_jobs` (`tests_reported`:
    whether any test of the run reported a result, passing or failing; `run_counts`: the run's failing tests
    and tests with a result, used when no run summary is printed and some test passed; `tested_jobs`: the jobs
    in which some test reported a result, None when not known)."""
    # A finding's tests decide (a wrapper line absorbed into it, `commands failed`, is not where it failed).
    texts: dict[tuple[str, str], tuple[str, frozenset[int] | None]] = {}  # each distinct text: read, and its Set pass

    def text_of(r: Result) -> tuple[str, frozenset[int] | None]:
        pair = (r.message, r.details)
        known = texts.get(pair)
        if known is None:
            text = f"{r.message}\n{r.details}"
            known = texts[pair] = (text, _facts_in(text))
        return known

    allowed = _every_judged(results, lambda r: _allowed(r, *text_of(r)))
    caught = _every_judged(results, lambda r: bool(r.properties) and dict(r.properties).get("job_succeeded") == "true")
    host, status = "", ""
    failed = ran = 0
    read: set[tuple[str, str]] = set()  # each distinct text once: what it shows was taken when it was first read
    for r in results[:50]:
        if host and ran:
            break
        if (r.message, r.details) in read:
            continue
        read.add((r.message, r.details))
        text, found = text_of(r)
        if not host:
            host, status = outage_of(text, found)
        if not ran:
            failed, ran = summary_counts(text, found)
    if not ran:  # a reader that lists only the failures may carry the run's declared size
        failed, ran = _declared_counts(results)
    if not ran and run_counts[1] > run_counts[0] > 0:  # reports list their passing tests: count them
        failed, ran = run_counts
    # One pass while no result has properties (a big report's failures): job_of's log stems, nothing cancelled,
    # no skipped modules.
    logs: set[str] = set()
    properties = False
    for r in results:
        if r.properties:
            properties = True
            break
        if r.source.kind == "log":
            logs.add(r.source.path)
    if properties:
        jobs = {j for r in results if (j := job_of(r))}
        after = {dict(r.properties).get("cancelled_after", "") if r.properties else "" for r in results}
        cancelled = after.pop() if len(after) == 1 else ""
    else:
        jobs, cancelled = {j for path in logs if (j := PurePath(path).stem)}, ""
    platform, platforms = single_platform(jobs, run_jobs)
    untested = bool(platform) and tested_jobs is not None and not jobs & tested_jobs
    # A run summary that counts passing tests says tests ran, though no reader reported them one by one (Bazel's).
    stopped = "" if tests_reported or ran > failed else _test_step(results)
    skipped = next((v for r in results for k, v in r.properties if k == SKIPPED_MODULES), "") if properties else ""
    return ReachFacts(
        failed, ran, allowed, host, status, platform, platforms, cancelled, stopped, _one_case(results), skipped,
        caught, untested,
    )


def _declared_counts(results: Sequence[Result]) -> tuple[int, int]:
    """(failed, ran) a reader set on these results from the run's own counts line, else (0, 0)."""
    for r in results[:50]:
        value = dict(r.properties).get(RUN_COUNTS, "") if r.properties else ""
        failed, _, ran = value.partition("/")
        if failed.isdigit() and ran.isdigit() and bounded_int(ran) >= bounded_int(failed) > 0:
            return bounded_int(failed), bounded_int(ran)
    return 0, 0


def _every_judged(results: Sequence[Result], holds: Callable[[Result], bool]) -> bool:
    """Whether `holds` for every one of a finding's tests, else (no test among them) for every result; False when
    there is none. In the results' order, stopping at the first that fails it: a finding of 10,000 tests is not
    listed again for the first one's answer."""
    tests = False
    for r in results:
        if r.is_test:
            tests = True
            if not holds(r):
                return False
    return tests or (bool(results) and all(holds(r) for r in results))


def _one_case(results: Sequence[Result]) -> str:
    """`test[variant]` when every failing test result is that one parametrised case, else ''."""
    case: tuple[str, str] | None = None
    for r in results:  # stops at a second case: a finding of many tests is not gathered into a set
        if r.is_test and r.is_failing:
            if case is None:
                case = (r.id, r.variant)
            elif case != (r.id, r.variant):
                return ""
    if case is None:
        return ""
    test, variant = case
    return f"{test}[{variant}]" if variant else ""


def _test_step(results: Sequence[Result]) -> str:
    """The CI step that runs the tests among the steps these results were read in (the first, in the results'
    order), else ''. The same compile error printed by `cargo build` and again by `cargo test` stopped the test
    step all the same: the build step beside it does not make it any less stopped."""
    steps: dict[str, None] = {}
    for r in results:
        props = dict(r.properties)
        steps[props.get("job_step") or props.get("step") or ""] = None
        steps.update(dict.fromkeys(props.get(ALSO_IN_STEPS, "").split("\n")))
    return next((s for s in steps if s and _TEST_STEP.search(s) and not _SKIPS_TESTS.search(s)), "")


def _allowed(r: Result, text: str, found: frozenset[int] | None) -> bool:
    """`text`: the result's message and details joined by a line break; `found`: `_facts_in(text)`. A pattern the
    Set rules out in `text` is not searched (make's in the details alone: a match there is one in `text`)."""
    props = dict(r.properties) if r.properties else {}
    if props and any(props.get(k, "").lower() in ("true", "1", "yes") for k in ALLOWED_TO_FAIL_PROPERTIES):
        return True
    if (found is None or _ALLOWED_AT in found) and _ALLOWED_TEXT.search(text) is not None:
        return True
    if (found is None or _MAKE_AT in found) and _ignored_by_make(r):
        return True
    job = job_of(r)  # a job named for it (`nightly (allowed to fail)`, `docs-allow-failure`)
    return job is not None and _ALLOWED_JOB.search(job) is not None


def _ignored_by_make(r: Result) -> bool:
    """Whether make says, after this failure's own line in its excerpt, that it ignored the command's error."""
    if not r.details or _MAKE_IGNORED.search(r.details) is None:
        return False
    own = " ".join(r.message.split())[:60]
    lines = r.details.split("\n")
    at = next((i for i, line in enumerate(lines) if own and own in " ".join(line.split())), None)
    for line in lines[at + 1:] if at is not None else ():
        if _MAKE_FATAL.search(line):
            return False
        if _MAKE_IGNORED.search(line):
            return True
    return False


def tested_jobs(results: Iterable[Result]) -> frozenset[str]:
    """The jobs in which some test reported a result, passing or failing (a job with none was stopped before its
    tests, or has none)."""
    return frozenset(j for r in results if r.is_test and (j := job_of(r)) is not None)


def run_jobs(results: Iterable[Result]) -> frozenset[str]:
    """Every job the run's results came from (passing ones too): the platforms that ran. A report's test
    merged with its console copies counts every job log that reported it (a matrix's green platforms)."""
    jobs: set[str] = set()
    for r in results:
        if (j := job_of(r)) is not None:
            jobs.add(j)
        if r.properties:  # most results have none: no generator for them
            jobs.update(PurePath(v).stem for k, v in r.properties if k == JOB_LOG)
    return frozenset(jobs)
