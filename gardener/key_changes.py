"""Key-text changes, each declared once with the way back to the text the code before it gave.

A finding's signature (its key text, masked and hashed) is how gardener finds the issue it filed and the
history of a root cause. A change to what a key says (a better failing location, an exception name no longer
doubled, a new rule naming a cause its own way) would orphan every issue filed under the old text. So every
such change is a `KeyChange` in `KEY_CHANGES`, under the key version that made it: given what classified one
failure (its `Classified` and its evidence text) and its key as the code after the change gives it, `older`
returns the key the code before the change gave, or None when the change does not touch this failure.
Reverting the changes newest first gives the key under every earlier version; aliases.py turns those keys into
the digests a finding carries as aliases, so an issue filed under any of them is still this finding's issue.

`older` reads the failure as the current code classified it; a change that rebuilds a key from another rule's
hit builds it as the version it returns to did (key_v2_of: key-v2's location readers and exception head).

To change what keys say: append a version to KEY_VERSIONS (and MASKED_WITH), add a KeyChange under it whose
`older` gives the text before (a builtin rule that now wins failures another rule keyed: `rules_added` with its
id; a new veto: `veto_added`), and test it against what the previous commit really gave
(tests/test_signature_guard.py fails until the change is declared).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from gardener import widened_v6, widened_v7, widened_v8, widened_v9, widened_v10
from gardener.cluster import Classified
from gardener.dependency_build import CODE_LEVEL
from gardener.generic_rule import DEPENDENCY, evidence_line, named_over_before_v7
from gardener.line_category import also_names
from gardener.model import CONSOLE_ID
from gardener.passed_later import PASSED_LATER
from gardener.refusing_layer import credentials_outrank
from gardener.retry_verdicts import RETRY_VERDICT, SUITE_VERDICT
from gardener.rules.engine import Evidence, Hit, names_its_type
from gardener.rules.keys import (
    KEY_V2_READERS,
    KEY_V4_READERS,
    READERS,
    LocationReader,
    failing_location,
    key_of,
    test_scope,
)

KEY_VERSIONS = ("key-v1", "key-v2", "key-v3", "key-v4", "key-v5", "key-v6", "key-v7", "key-v8", "key-v9", "key-v10")
CURRENT_KEY_VERSION = KEY_VERSIONS[-1]
# The mask version (normalize.MASK_VERSIONS) each key version's signatures were made with: an older key's alias is
# its digest under that one (an issue filed before sig-v2 is matched by the current key's sig-v1 alias).
MASKED_WITH = {"key-v1": "sig-v2", "key-v2": "sig-v2", "key-v3": "sig-v2", "key-v4": "sig-v2", "key-v5": "sig-v2",
               "key-v6": "sig-v2", "key-v7": "sig-v2", "key-v8": "sig-v2",
               "key-v9": "sig-v2", "key-v10": "sig-v2"}


@dataclass(slots=True)
class KeyInput:
    """One classified failure, with its evidence text built only when a change needs it. `shared` (one dict for
    a run) holds what failures with the same evidence share: its text and where it fails."""

    classified: Classified
    shared: dict[object, str] = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        r = self.classified.result
        key = (r.message, r.details, r.error_type)
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = Evidence.of(r).fields["text"]
        return found

    def location(self, readers: tuple[LocationReader, ...] = READERS) -> str:
        key = (self.text, readers)
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = failing_location(self.text, readers)
        return found


@dataclass(frozen=True, slots=True)
class KeyChange:
    version: str  # the key version that made it: its `older` gives the text of the version before
    name: str
    older: Callable[[KeyInput, str], str | None]


def key_v2_of(inp: KeyInput, hit: Hit | None) -> str:
    """The key key-v2 built from `hit` (None: no rule): its location readers, the exception's name said twice."""
    r = inp.classified.result
    if hit is None:
        return key_of(None, "", (), r, inp.text, "")
    line = hit.line
    if (not hit.rule.key and r.error_type and names_its_type(r.error_type, r.message)
            and line == inp.text.split("\n", 1)[0].strip()):
        line = f"{r.error_type}: {line}"
    return key_of(hit.rule, line, hit.captures, r, inp.text, inp.location(KEY_V2_READERS))


def rules_added(rule_ids: frozenset[str], widened: Mapping[str, Callable[[str], bool]] | None = None,
                ) -> Callable[[KeyInput, str], str | None]:
    """Rules that did not exist: a failure one of them wins was decided by the best of the other rules that
    matched it (the engine's order: highest precedence, earlier first, never a vetoed one), or by no rule. A rule
    whose evidence the same version widened (`widened`: its id -> whether its evidence before matched a text)
    counts only where its evidence before matched."""

    def older(inp: KeyInput, key: str) -> str | None:
        c = inp.classified
        if c.rule is None or c.rule.id not in rule_ids or c.absorbed_by:
            return None
        return key_v2_of(inp, _best_other(c, rule_ids, inp.text, widened or {}))

    return older


def _best_other(c: Classified, rule_ids: frozenset[str], text: str = "",
                widened: Mapping[str, Callable[[str], bool]] | None = None) -> Hit | None:
    best: Hit | None = None
    for hit in c.verdict.hits:
        matched_before = widened.get(hit.rule.id) if widened else None
        if (hit.rule.id not in rule_ids and not hit.vetoed_by
                and (matched_before is None or matched_before(text))
                and (best is None or hit.rule.precedence > best.rule.precedence)):
            best = hit
    return best


def evidence_widened(rule_id: str, matched_before: Callable[[str], bool]) -> Callable[[KeyInput, str], str | None]:
    """A rule whose evidence was widened: a failure it now wins that its evidence before did not match
    (`matched_before`, read on the failure's text) was decided by the best of the other rules, or by none."""

    def older(inp: KeyInput, key: str) -> str | None:
        c = inp.classified
        if c.rule is None or c.rule.id != rule_id or c.absorbed_by or matched_before(inp.text):
            return None
        return key_v2_of(inp, _best_other(c, frozenset({rule_id})))

    return older


def veto_added(rule_id: str, by: Callable[[str], bool] | None = None) -> Callable[[KeyInput, str], str | None]:
    """A veto a rule did not have: where it now vetoes that rule (`by`: only where the vetoing text is this veto's), the
    rule won when it outranked the winner."""

    def older(inp: KeyInput, key: str) -> str | None:
        c = inp.classified
        if c.absorbed_by:
            return None
        vetoed = next((h for h in c.verdict.hits
                       if h.rule.id == rule_id and h.vetoed_by and (by is None or by(h.vetoed_by))), None)
        winner = c.verdict.winner
        if vetoed is None or (winner is not None and (
                vetoed.rule.precedence < winner.rule.precedence or (vetoed.rule.precedence == winner.rule.precedence
                                                                    and c.verdict.hits.index(winner)
                                                                    < c.verdict.hits.index(vetoed)))):
            return None
        return key_v2_of(inp, vetoed)

    return older


# The builtin rules session 5 added (a2dbd78..ad83241): each names failures an older rule, or none, keyed before.
KEY_V2_RULES = frozenset({
    "assert.status-code-auth-accepted", "auth.cloud-credentials", "auth.repository-refused", "ci.runner-dns",
    "collect.rspec-load-error", "compile.android-resources", "compile.bundler-unresolved-import",
    "compile.fortran-and-drivers", "compile.linker-error", "compile.makepkg", "compile.msbuild-project",
    "compile.quarkus-template", "compile.rustc-plain", "compile.terraform-config", "deps.fetch-during-configure",
    "deps.fetch-during-configure-outage", "deps.tool-download-not-found", "deps.toolchain-too-old",
    "deps.toolchain-wrong-tool", "docker.migration-refused", "lint.dart-analyze", "network.name-not-resolved",
    "network.tls-certificate-invalid", "runtime.file-not-found", "runtime.phpunit-error", "runtime.pipeline-process",
    "runtime.pydantic-validation", "runtime.r-error-halted",
})


# The builtin rules session 7 added (2cfcbb0..): each names failures an older rule, or none, keyed before.
KEY_V5_RULES = frozenset({
    "assert.bats", "assert.gocheck", "assert.jasmine1", "assert.minitest", "assert.native-frameworks",
    "assert.scalatest-bare", "auth.client-and-service-refusals", "ci.npm-network", "ci.runner-own-errors",
    "collect.esm-scope", "collect.jest-load-syntax", "collect.pytest-module-error", "collect.pytest-short-summary",
    "compile.more-compilers", "compile.pyright-anywhere", "crash.runtime-reports", "deps.build-tool-missing",
    "deps.bundler-install", "deps.cargo-resolution", "deps.composer-platform", "deps.go-toolchain-modules",
    "deps.helm-chart", "deps.js-integrity", "deps.resolvers-more", "deps.system-packages-more", "deps.uv",
    "disk.more-words", "docker.exec-format", "docker.step-failed-more", "flaky.rspec-retry",
    "flaky.rspec-zero-failures", "lint.actionlint", "lint.code-tools", "lint.dotnet-analyzers",
    "lint.sphinx-warnings-as-errors", "lint.spotless-step", "network.service-not-there", "oom.compiler-killed-signal",
    "oom.runtime-own-words", "permission.git-dubious-ownership", "permission.kubernetes-rbac",
    "permission.sudo-refused", "permission.windows-file-access", "registry.job-image-missing",
    "registry.npm-publish-refused", "timeout.browser-runner-disconnect", "timeout.ci-job-limits",
    "timeout.test-runner-limits",
})


# The builtin rules session 8 added (c0935a8..): each names failures an older rule, or none, keyed before.
KEY_V6_RULES: frozenset[str] = frozenset({
    "assert.ava-listing",
    "assert.dune-expect-diff",
    "assert.hspec-under-stack",
    "assert.more-listings",
    "assert.nim-unittest",
    "assert.shell-harness",
    "assert.test-more",
    "assert.zig-test",
    "auth.cargo-token",
    "auth.cloud-login-actions",
    "auth.composer-http",
    "auth.git-repository-not-found",
    "auth.nuget-api-key",
    "auth.nuget-feed",
    "auth.rubygems-push",
    "auth.ssh-host-key",
    "auth.store-credentials",
    "collect.ava-no-files",
    "collect.clojure-classpath",
    "collect.dart-test-load",
    "collect.elixir-module-unavailable",
    "collect.julia-test-file",
    "collect.ts-node-test-file",
    "compile.bundler-unresolved-alias-import",
    "compile.clojure-compiling",
    "compile.cloudformation-template",
    "compile.dart-diagnostics",
    "compile.dune-build-files",
    "compile.fortran-diagnostic",
    "compile.gradle-configuration",
    "compile.kotlin-kapt-and-backend",
    "compile.ts-node",
    "compile.web-build-tools",
    "deps.actions-installer-failed",
    "deps.bundler-gem-removed",
    "deps.bundler-missing",
    "deps.downloaded-html",
    "deps.installed-tool-missing",
    "deps.luarocks",
    "deps.luarocks-build",
    "deps.native-prerequisite-missing",
    "deps.opam",
    "deps.opam-solver",
    "deps.resolvers-session8",
    "deps.shards",
    "deps.swiftpm-resolve",
    "deps.tsc-error-in-node-modules",
    "docker.builder-setup",
    "generic.julia-errored-summary",
    "lint.clj-kondo",
    "lint.cppcheck-template",
    "lint.dune-formatting",
    "lint.go-analyzers",
    "lint.more-formatters",
    "lint.scala-format-and-fix",
    "lint.shell-format-and-check",
    "lint.sphinx-linkcheck-broken",
    "lint.yamllint-parsable",
    "network.http-gateway-status",
    "permission.luarocks-tree",
    "registry.cargo-publish-refused",
    "registry.manifest-unknown-run",
    "registry.nuget-push-refused",
    "registry.platform-or-repository-missing",
    "registry.pypi-upload-refused",
    "registry.rubygems-push-refused",
    "registry.store-upload-refused",
    "runtime.busted-error",
    "runtime.julia-load-error",
    "runtime.native-test-exception",
    "runtime.rspec-raise",
    "runtime.zig-build-runner",
    "syntax.interpreted-more",
    "syntax.r-parse",
    "timeout.liquibase-lock",
})
# The builtin rules whose evidence session 8 widened: id -> whether the rule's evidence before matched a text.
WIDENED_V6: dict[str, Callable[[str], bool]] = {
    "deps.dependency-does-not-compile": widened_v6.fetched_compile_v5,
    "docker.copy-source-missing": widened_v6.copy_source_v5,
}

# The builtin rules session 9 added (afbbdba..): each names failures an older rule, or none, keyed before.
KEY_V7_RULES: frozenset[str] = frozenset({
    "auth.credential-expired",
    "ci.remote-executor-lost",
    "deps.terraform-provider-registry",
    "docker.run-step-command-missing",
    "flaky.ctest-zero-failed",
    "flaky.retrying-runners",
    "runtime.rust-program-assert",
    "websocket.ws-response-in-parens",
})
# The builtin rules whose evidence session 9 widened: id -> whether the rule's evidence before matched a text.
WIDENED_V7: dict[str, Callable[[str], bool]] = {
}

# The builtin rules session 10 added (f763bdd..): each names failures an older rule, or none, keyed before.
KEY_V8_RULES: frozenset[str] = frozenset({
    "auth.repository-refused-deploy",
    "ci.agent-provisioning-failed",
    "ci.path-too-long",
    "ci.remote-cache-unreachable",
    "crash.browser-tab",
    "docker.buildkit-dockerfile-pointer",
    "docker.daemon-unreachable-clients",
    "flaky.failed-then-passed",
    "flaky.jest-retry-passed",
    "flaky.suite-retry-passed",
    "registry.server-error",
    "registry.unreachable",
    "runtime.webdriver-session-gone",
    "timeout.faulthandler-dump",
})
# The builtin rules whose evidence session 10 widened: id -> whether the rule's evidence before matched a text.
WIDENED_V8: dict[str, Callable[[str], bool]] = {
    "oom.exit-137": widened_v8.exit_137_v7,
    "registry.push-denied": widened_v8.push_denied_v7,
    "registry.publish-refused": widened_v8.publish_refused_v7,
    "assert.retrying-expectation": widened_v8.retrying_expectation_v7,
}

# The builtin rules session 11 added (103813c..): each names failures an older rule, or none, keyed before.
KEY_V9_RULES: frozenset[str] = frozenset({
    "compile.scala3-diagnostic",
    "deps.framework-targeting-pack-missing",
    "deps.node-configure-no-compiler",
    "docker.testcontainers-no-environment",
    "lint.rubocop-offense-heads",
    "websocket.tungstenite-status",
})
# The builtin rules whose evidence session 11 widened: id -> whether the rule's evidence before matched a text
# (predicates in widened_v9.py).
WIDENED_V9: dict[str, Callable[[str], bool]] = {
    "compile.msbuild-project": widened_v9.msbuild_project_v8,
    "docker.compose-dependency-unhealthy": widened_v9.compose_dependency_v8,
    "collect.jvm-test-class-init": widened_v9.jvm_test_class_init_v8,
}

# The builtin rules session 12 added (995266d..): each names failures an older rule, or none, keyed before.
KEY_V10_RULES: frozenset[str] = frozenset({
    "ci.executor-pod-not-running",
    "compile.elixir-warnings-as-errors",
    "collect.mocha-load-error",
    "crash.ctest-subprocess-aborted",
    "deps.bazel-repository-fetch",
    "flaky.junit-flaky-attribute",
    "lint.checkpatch",
    "registry.oci-client-refused",
    "syntax.gitlab-ci-lint",
    "syntax.yaml-parse",
    "timeout.helm-wait",
    "timeout.kernel-hung-task",
    "websocket.testserver-handshake",
})
# The builtin rules whose evidence session 12 widened: id -> whether the rule's evidence before matched a text
# (predicates in a widened_v10.py, as widened_v9.py).
WIDENED_V10: dict[str, Callable[[str], bool]] = {
    "ci.agent-lost": widened_v10.agent_lost_v9,
    "registry.pull-denied": widened_v10.pull_denied_v9,
}

# What key-v7's generic layer overrules by what surrounds the evidence line: its category -> the rules' categories.
_OVERRULED_V7 = {f"generic.{DEPENDENCY}": CODE_LEVEL, "generic.runtime-exception": frozenset(("assertion-failure",))}


def overruled_by_context(inp: KeyInput, key: str) -> str | None:
    """key-v6 let a rule decide a failure that key-v7's generic layer names by what surrounds it
    (generic_rule.named_verdict): a compile error or panic raised while a package manager built a dependency, or in a
    fetched package's build (dependency_build.py), is the dependency's; an assertion in a tool that says it crashed on
    its own bug is the tool's crash (tool_crash.py). The key then was that rule's, unless the generic layer already
    named the failure over the rule by its line's own words."""
    c = inp.classified
    if c.rule is None or c.rule.id not in _OVERRULED_V7 or c.absorbed_by:
        return None
    best = _best_other(c, frozenset({c.rule.id}))
    if best is None or best.rule.category not in _OVERRULED_V7[c.rule.id] or best.rule.wrapper:
        return None
    if named_over_before_v7(c.result, best):
        return None
    return key_v2_of(inp, best)


def credentials_over_fetch(inp: KeyInput, key: str) -> str | None:
    """key-v6 let a download rule decide a line that also says the server refused the credentials (`Failed to fetch
    ...: Bad credentials`); key-v7's generic layer names it an auth error (refusing_layer.py), so the key then was the
    download rule's."""
    c = inp.classified
    if c.rule is None or c.rule.id != "generic.auth-error" or c.absorbed_by:
        return None
    best = _best_other(c, frozenset({c.rule.id}))
    line = evidence_line(c.result)
    if (best is None or best.rule.wrapper or best.rule.category != "dependency-install-failure"
            or not also_names(line, best.rule.category)
            or not credentials_outrank("auth-error", best.rule.category, line)):
        return None
    return key_v2_of(inp, best)


def nextest_retried_pass(inp: KeyInput, key: str) -> str | None:
    """key-v6 read a nextest test whose last attempt passed (`TRY 2 PASS`, no FLAKY recap shown) as failed; key-v7
    reads it as flaky (flaky.outcome). The key then was the best other rule's, or the message's (no rule). A FLAKY
    recap line gives its attempts (`FLAKY 2/3`): those were flaky before."""
    c = inp.classified
    r = c.result
    if (c.rule is None or c.rule.id != "flaky.outcome" or c.absorbed_by or r.attempts != 1
            or r.source.kind != "log" or r.outcome != "flaky"):
        return None
    return key_v2_of(inp, _best_other(c, frozenset({c.rule.id})))


def passed_later(inp: KeyInput, key: str) -> str | None:
    """key-v9 read a failure whose test the log shows passing further down (passed_later.py: xcpretty's `✖ name` then
    `✔ name`, go's `--- FAIL` then `--- PASS`, gotestsum's `FAIL name` then `PASS name (re-run N)`) as failed; key-v10
    reads it as flaky (flaky.outcome). The key then was the best other rule's, or the message's (no rule)."""
    c = inp.classified
    if (c.rule is None or c.rule.id != "flaky.outcome" or c.absorbed_by
            or PASSED_LATER not in dict(c.result.properties)):
        return None
    return key_v2_of(inp, _best_other(c, frozenset({c.rule.id})))


def suite_verdict_passed(inp: KeyInput, key: str) -> str | None:
    """key-v9 read a failure listed in a Ginkgo suite that closes with no failure left (retry_verdicts.py: `SUCCESS! --
    99 Passed | 0 Failed` under `Summarizing 1 Failure:`) as failed; key-v10 reads it as flaky (flaky.outcome). The key
    then was the best other rule's, or the message's (no rule)."""
    c = inp.classified
    if (c.rule is None or c.rule.id != "flaky.outcome" or c.absorbed_by
            or SUITE_VERDICT not in dict(c.result.properties)):
        return None
    return key_v2_of(inp, _best_other(c, frozenset({c.rule.id})))


def retry_verdict_passed(inp: KeyInput, key: str) -> str | None:
    """key-v7 read a failure a runner's closing retry verdict says a later attempt passed (retry_verdicts.py: `Tests
    suite completed successfully in 2 attempts`, gotestsum's `DONE 2 runs` with no failure) as failed; key-v8 reads it
    as flaky (flaky.outcome). The key then was the best other rule's, or the message's (no rule)."""
    c = inp.classified
    if (c.rule is None or c.rule.id != "flaky.outcome" or c.absorbed_by
            or RETRY_VERDICT not in dict(c.result.properties)):
        return None
    return key_v2_of(inp, _best_other(c, frozenset({c.rule.id})))


def frames_added(before: tuple[LocationReader, ...]) -> Callable[[KeyInput, str], str | None]:
    """Location readers the version before did not have (only `before`): a location-scoped failure located only by
    the new ones was keyed by its test."""

    def older(inp: KeyInput, key: str) -> str | None:
        c = inp.classified
        if c.rule is None or c.rule.scope != "location" or c.absorbed_by:
            return None
        where = inp.location()
        if not where or inp.location(before) or not key.startswith(f"{where} :: "):
            return None
        return f"{c.result.id} :: {key[len(where) + 4:]}"

    return older


# key-v2 read no pytest frames (`x.py:21: in f`, `x.py:21: ValueError`) nor vitest's (`❯ f src/x.ts:4:2`).
pytest_and_vitest_frames = frames_added(KEY_V2_READERS)


def console_test_joined(inp: KeyInput, key: str) -> str | None:
    """key-v4 kept a console's test named without its file (minitest's `CartTest#test_x`, go's `TestX` in a pasted
    excerpt) apart from the report's test of that name under its file: a test-scoped key said the console's name."""
    c = inp.classified
    r = c.result
    console = dict(r.properties).get(CONSOLE_ID, "") if r.properties else ""
    if not console or c.rule is None or c.rule.scope != "test" or c.absorbed_by or not key.startswith(f"{r.id} :: "):
        return None
    return f"{console} :: {key[len(r.id) + 4:]}"


def rescoped(rule_id: str, scope: str, key: str = "") -> Callable[[KeyInput, str], str | None]:
    """A rule that was scoped `scope` and keyed by `key` (''; its deciding line) before: the key it gave then, from
    the same hit (its location read as the version before read it)."""

    def older(inp: KeyInput, now: str) -> str | None:
        c = inp.classified
        hit = c.verdict.winner
        if c.rule is None or c.rule.id != rule_id or c.absorbed_by or hit is None or hit.rule is not c.rule:
            return None
        before = replace(c.rule, scope=scope, key=key)
        return key_of(before, hit.line, hit.captures, c.result, inp.text, inp.location(KEY_V4_READERS))

    return older


def exception_name_once(inp: KeyInput, key: str) -> str | None:
    """key-v2 put the exception's name before a message that already starts with it
    (`AssertionError: AssertionError: assert ...`): a key made of that first line said it twice."""
    c = inp.classified
    r = c.result
    hit = c.verdict.winner
    if (c.rule is None or c.rule.key or hit is None or hit.rule is not c.rule or c.absorbed_by or not r.error_type
            or not names_its_type(r.error_type, r.message) or hit.line != inp.text.split("\n", 1)[0].strip()):
        return None
    where = inp.location() if c.rule.scope == "location" else ""
    if key_of(c.rule, hit.line, c.captures, r, inp.text, where) != key:  # the key is not made of that line
        return None
    return key_of(c.rule, f"{r.error_type}: {hit.line}", c.captures, r, inp.text, where)


def joined_across_inputs(inp: KeyInput, key: str) -> str | None:
    """key-v3 kept an OOM record and the exit 137 or the test it killed as separate findings; key-v4 joins them
    (cluster._weak_across_inputs), and the joined result remembers the key it had."""
    before = inp.classified.decision.rekeyed_from
    return before if before and before != key else None


def helper_scoped(inp: KeyInput, key: str) -> str | None:
    """key-v5 keyed every test-scoped assertion by its test; key-v6 keys one that failed in a shared helper of its
    test (rules/keys.shared_helper: `at Acme.Tests.Base.AssertRejected(...)` called by the test) by that helper."""
    c = inp.classified
    r = c.result
    if c.rule is None or c.rule.scope != "test" or c.absorbed_by:
        return None
    scope = test_scope(c.rule, r)
    if scope == r.id or not key.startswith(f"{scope} :: "):
        return None
    return f"{r.id} :: {key[len(scope) + 4:]}"


KEY_CHANGES: tuple[KeyChange, ...] = (
    KeyChange("key-v2", "28 builtin rules name failures their own way (redis/libpq DNS, testify x509, Flyway, ...)",
              rules_added(KEY_V2_RULES)),
    KeyChange("key-v2", "a worker killed by signal 9 is no native fault (crash.native vetoes it)",
              veto_added("crash.native")),
    KeyChange("key-v3", "pytest's and vitest's own frames locate an exception", pytest_and_vitest_frames),
    KeyChange("key-v3", "an exception's name is said once before a message that starts with it",
              exception_name_once),
    KeyChange("key-v4", "an OOM record and the exit 137 or killed test it explains across inputs are one finding",
              joined_across_inputs),
    KeyChange("key-v5", "Ruby's backtrace frames locate an exception", frames_added(KEY_V4_READERS)),
    KeyChange("key-v5", "a console's test named without its file is the report's test of that name under its file",
              console_test_joined),
    KeyChange("key-v5", f"{len(KEY_V5_RULES)} builtin rules name failures their own way (minitest's assertion in a "
              "JUnit report, cargo's resolver, git's dubious ownership, Kubernetes RBAC, ...)",
              rules_added(KEY_V5_RULES)),
    KeyChange("key-v5", "a Ruby exception in a test is keyed by what it says where the project raised it, not by "
              "its test", rescoped("runtime.ruby-exception", "test")),
    KeyChange("key-v6", f"{len(KEY_V6_RULES)} builtin rules name failures their own way",
              rules_added(KEY_V6_RULES, WIDENED_V6)),
    KeyChange("key-v6", "an assertion that failed in a shared helper of its test is keyed by the helper, not the test",
              helper_scoped),
    KeyChange("key-v6", "a compile error located in a fetched package by a relative path (tsc's `node_modules/x.d.ts`) "
              "or in Dart's words is the dependency's", evidence_widened("deps.dependency-does-not-compile",
                                                                         WIDENED_V6["deps.dependency-does-not-compile"])),
    KeyChange("key-v6", "a fetched package's declarations failing for a type package the project lacks (TS2688) are "
              "the project's compile error", veto_added("deps.dependency-does-not-compile")),
    KeyChange("key-v6", "the legacy builder's COPY line cut short names its source",
              evidence_widened("docker.copy-source-missing", WIDENED_V6["docker.copy-source-missing"])),
    KeyChange("key-v7", f"{len(KEY_V7_RULES)} builtin rules name failures their own way",
              rules_added(KEY_V7_RULES, WIDENED_V7)),
    KeyChange("key-v7", "permission.denied is keyed by the path refused, not by its deciding line (npm's one EACCES "
                        "was three findings)", rescoped("permission.denied", "shared")),
    KeyChange("key-v7", "a compile error or panic raised while a package manager builds a dependency is the "
              "dependency's install failure, and an assertion in a tool that says it crashed on its own bug is a "
              "runtime exception, not the rule's that named the failure's shape", overruled_by_context),
    KeyChange("key-v7", "a Go panic's goroutine trace through the module cache is no dependency that does not compile",
              veto_added("deps.dependency-does-not-compile", widened_v7.go_panic_veto)),
    KeyChange("key-v7", "a credential the server refuses on a download's line is an auth error, not the download "
              "rule's failure", credentials_over_fetch),
    KeyChange("key-v7", "a nextest test whose later attempt passed (`TRY 2 PASS`) is flaky, not failed",
              nextest_retried_pass),
    KeyChange("key-v7", "the operating system's EACCES is no registry's refusal of a push (registry.push-denied vetoes "
              "it)", veto_added("registry.push-denied")),
    KeyChange("key-v7", "makepkg's failed check() is its tests' failure, not the package build's",
              veto_added("compile.makepkg")),
    KeyChange("key-v8", f"{len(KEY_V8_RULES)} builtin rules name failures their own way",
              rules_added(KEY_V8_RULES, WIDENED_V8)),
    KeyChange("key-v8", "a linter's code saying a Python file does not parse (E999, E0001) is a syntax error, not the "
              "linter rule's finding", veto_added("lint.linter")),
    KeyChange("key-v8", "testthat's own `Error: Test failures` is how a failing test run ends, not an R error of the "
              "code (runtime.r-error-halted-toplevel vetoes it)", veto_added("runtime.r-error-halted-toplevel")),
    KeyChange("key-v8", "a command line's `--timeout` option is no time limit that ran out (oom.exit-137's veto)",
              evidence_widened("oom.exit-137", WIDENED_V8["oom.exit-137"])),
    KeyChange("key-v8", "a layer's upload in a client's progress words is a push (registry.push-denied)",
              evidence_widened("registry.push-denied", WIDENED_V8["registry.push-denied"])),
    KeyChange("key-v8", "twine's verbose `Response from <url>:` and a 4xx status under it is a refused publish",
              evidence_widened("registry.publish-refused", WIDENED_V8["registry.publish-refused"])),
    KeyChange("key-v8", "Actions' `Process completed with exit code 143` is a wrapper, no runner cancellation",
              veto_added("ci.operation-canceled", widened_v8.actions_143_veto)),
    KeyChange("key-v8", "Playwright's expectation block (`Expected: visible`, `Timeout: 5000ms`) is a failed "
              "expectation, not a timeout", evidence_widened("assert.retrying-expectation",
                                                WIDENED_V8["assert.retrying-expectation"])),
    KeyChange("key-v8", "a Playwright expectation's retry budget is not a timeout",
              veto_added("timeout.generic", widened_v8.playwright_budget_veto)),
    KeyChange("key-v8", "a failure a runner's closing retry verdict says a later attempt passed is flaky",
              retry_verdict_passed),
    KeyChange("key-v9", f"{len(KEY_V9_RULES)} builtin rules name failures their own way",
              rules_added(KEY_V9_RULES, WIDENED_V9)),
    KeyChange("key-v9", "nix's hash mismatch in a fixed-output derivation is deps.nix-hash-mismatch's (the derivation "
              "without its store hash), not deps.more-package-managers' (which vetoes it)",
              veto_added("deps.more-package-managers", widened_v9.nix_hash_mismatch_veto)),
    KeyChange("key-v9", "the VSBuild task finding no solution to build is a missing build input "
              "(compile.msbuild-project)",
              evidence_widened("compile.msbuild-project", WIDENED_V9["compile.msbuild-project"])),
    KeyChange("key-v9", "compose's `has no healthcheck configured` (v1: `is missing a healthcheck configuration`) is "
              "a dependency that fails to start", evidence_widened("docker.compose-dependency-unhealthy",
                                                                   WIDENED_V9["docker.compose-dependency-unhealthy"])),
    KeyChange("key-v9", "Surefire's `Tests in error:` list naming ExceptionInInitializer / NoClassDefFound Could not "
              "initialize is a test class that cannot initialise",
              evidence_widened("collect.jvm-test-class-init", WIDENED_V9["collect.jvm-test-class-init"])),
    KeyChange("key-v10", f"{len(KEY_V10_RULES)} builtin rules name failures their own way",
              rules_added(KEY_V10_RULES, WIDENED_V10)),
    KeyChange("key-v10", "a Go panic whose own message is a refused connection is the refusal's "
              "(network.connection-refused), not runtime.go-panic's (which vetoes it)",
              veto_added("runtime.go-panic", widened_v10.go_panic_refused_veto)),
    KeyChange("key-v10", "TeamCity's removed cloud agent, a Jenkins agent refused on reconnect and GitLab's stuck job "
              "are a lost CI agent", evidence_widened("ci.agent-lost", WIDENED_V10["ci.agent-lost"])),
    KeyChange("key-v10", "Docker's registry v1 `Error: Status 403 trying to pull repository` is a refused pull",
              evidence_widened("registry.pull-denied", WIDENED_V10["registry.pull-denied"])),
    KeyChange("key-v10", "a failure whose test the log shows passing further down is flaky", passed_later),
    KeyChange("key-v10", "a failure listed in a Ginkgo suite that closes with no failure left is flaky",
              suite_verdict_passed),
)


def older_keys(inp: KeyInput, changes: tuple[KeyChange, ...] = KEY_CHANGES) -> Iterator[tuple[str, str]]:
    """(version, key) for every earlier key version whose key differs from the current one, newest first."""
    key = current = inp.classified.key
    for i in range(len(KEY_VERSIONS) - 1, 0, -1):
        version = KEY_VERSIONS[i]
        for change in reversed(changes):
            if change.version == version and (before := change.older(inp, key)) is not None:
                key = before
        if key != current:
            yield KEY_VERSIONS[i - 1], key
