"""Whole CI job logs around a short labelled excerpt: the excerpt as the failing step of a long job.

Held-out logs are whole job logs: a runner preamble, checkout, set-up and install steps that passed (with
their warnings and progress lines), the failing step, then the runner's wrappers (`The command "..." exited
with 1.`, `##[error]Process completed with exit code 1.`, `ERROR: Job failed: exit code 1`, `Finished:
FAILURE`). `frame(excerpt, ci, variant)` puts an excerpt in such a log and says how many lines come before
it, so the excerpt's marked lines can be scored in the long log. The frames are written after each CI
system's own output (the runner preambles and wrapper lines as GitHub Actions, Travis CI, Jenkins Pipeline,
GitLab Runner, Azure Pipelines and CircleCI print them) and the set-up noise after the tools' own progress
and warning lines (pip, npm, apt, git, bundler, Maven, cargo); nothing in them fails.
"""

from __future__ import annotations

from dataclasses import dataclass

# Steps that passed before the failing one: install output with the warnings real installs print.
_SETUP_NOISE = (
    "Collecting requests>=2.28",
    "  Downloading requests-2.31.0-py3-none-any.whl (62 kB)",
    "Collecting urllib3<3,>=1.21.1",
    "  Using cached urllib3-2.1.0-py3-none-any.whl (104 kB)",
    "DEPRECATION: pyyaml 5.3 is being installed using the legacy 'setup.py install' method, because it does not"
    " have a 'pyproject.toml' and the 'wheel' package is not installed.",
    "Installing collected packages: urllib3, idna, charset-normalizer, certifi, requests",
    "Successfully installed certifi-2023.11.17 charset-normalizer-3.3.2 idna-3.6 requests-2.31.0 urllib3-2.1.0",
    "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the"
    " system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv",
    "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.",
    "npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported",
    "",
    "added 1204 packages, and audited 1205 packages in 21s",
    "",
    "183 packages are looking for funding",
    "  run `npm fund` for details",
    "",
    "found 0 vulnerabilities",
    "Reading package lists...",
    "Building dependency tree...",
    "Reading state information...",
    "libxml2-dev is already the newest version (2.9.13+dfsg-1ubuntu0.3).",
    "0 upgraded, 0 newly installed, 0 remove and 12 not upgraded.",
    "Fetching gem metadata from https://rubygems.org/..........",
    "Using bundler 2.4.22",
    "Bundle complete! 42 Gemfile dependencies, 97 gems now installed.",
    "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/maven/plugins/"
    "maven-error-diagnostics/3.0/maven-error-diagnostics-3.0.pom",
    "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/maven/plugins/"
    "maven-error-diagnostics/3.0/maven-error-diagnostics-3.0.pom (1.7 kB at 42 kB/s)",
    "   Compiling error-chain v0.12.4",
    "   Compiling thiserror v1.0.50",
    "    Finished dev [unoptimized + debuginfo] target(s) in 41.27s",
    "warning: the following packages contain code that will be rejected by a future version of Rust: nom v4.2.3",
    "note: to see what the problems were, use the option `--future-incompat-report`, or run `cargo report "
    "future-incompatibilities --id 1`",
    # Lines of steps that passed which still say "error", "failed" or "fatal" (held-out logs are full of them).
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken"
    " by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)\")':"
    " /simple/urllib3/",
    "fatal: No names found, cannot describe anything.",
    "go: downloading github.com/pkg/errors v0.9.1",
    "Cloning into 'vendor/errors'...",
    "debconf: delaying package configuration, since apt-utils is not installed",
    "npm WARN EBADENGINE Unsupported engine {",
    "src/util.c:41:9: warning: variable 'count' set but not used [-Wunused-but-set-variable]",
    "test_error_handling (tests.test_api.ApiTest.test_error_handling) ... ok",
    "  ✓ returns 404 when the item is missing (12 ms)",
    "ok 12 - rejects invalid input",
    "[INFO] Tests run: 42, Failures: 0, Errors: 0, Skipped: 1",
    "--- PASS: TestErrors (0.00s)",
)


# What a failing step often prints after the failure: a coverage table and an upload, no error word in them.
_AFTER_NOISE = (
    "",
    "---------- coverage: platform linux, python 3.11.7-final-0 ----------",
    "Name                      Stmts   Miss  Cover",
    "---------------------------------------------",
    "src/widget/__init__.py        4      0   100%",
    "src/widget/cart.py           88     12    86%",
    "src/widget/money.py          41      3    93%",
    "src/widget/store.py         120     30    75%",
    "---------------------------------------------",
    "TOTAL                       253     45    82%",
    "Coverage XML written to file coverage.xml",
    "",
    "Uploading coverage report to Codecov",
    "[2024-01-17T10:02:11.123Z] ['info'] Detected GitHub Actions as the CI provider.",
    "[2024-01-17T10:02:11.456Z] ['info'] => Found 1 possible coverage files:",
    "  coverage.xml",
    "[2024-01-17T10:02:12.789Z] ['info'] Processing /home/runner/work/widget/widget/coverage.xml...",
    "[2024-01-17T10:02:13.012Z] ['info'] Uploading...",
    "[2024-01-17T10:02:14.345Z] ['info'] {\"status\":\"success\",\"resultURL\":\"https://codecov.io/github/acme\"}",
    "Artifacts: uploading test-results/ (3 files)",
    "Artifacts: upload complete",
)


@dataclass(frozen=True, slots=True)
class Framed:
    text: str
    before: int  # lines of the frame before the excerpt's first line


def _actions(excerpt: str, stamped: bool) -> Framed:
    head = [
        "Current runner version: '2.311.0'",
        "Operating System",
        "  Ubuntu",
        "  22.04.3",
        "  LTS",
        "Runner Image",
        "  Image: ubuntu-22.04",
        "  Version: 20231217.2.0",
        "GITHUB_TOKEN Permissions",
        "  Contents: read",
        "  Metadata: read",
        "Secret source: Actions",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Getting action download info",
        "Download action repository 'actions/checkout@v4' (SHA:b4ffde65f46336ab88eb53be808477a3936bae11)",
        "Complete job name: test (ubuntu-latest)",
        "##[group]Run actions/checkout@v4",
        "with:",
        "  repository: acme/widget",
        "  token: ***",
        "  fetch-depth: 1",
        "##[endgroup]",
        "Syncing repository: acme/widget",
        "##[group]Getting Git version info",
        "Working directory is '/home/runner/work/widget/widget'",
        "[command]/usr/bin/git version",
        "git version 2.43.0",
        "##[endgroup]",
        "[command]/usr/bin/git init /home/runner/work/widget/widget",
        "Initialized empty Git repository in /home/runner/work/widget/widget/.git/",
        "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1"
        " origin +1a2b3c4d5e6f:refs/remotes/origin/main",
        " * [new ref]         1a2b3c4d5e6f -> origin/main",
        "[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main",
        "Switched to a new branch 'main'",
        "##[group]Run ./ci/install.sh",
        "./ci/install.sh",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        *_SETUP_NOISE,
        "##[group]Run ./ci/test.sh",
        "./ci/test.sh",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        "  CI: true",
        "##[endgroup]",
    ]
    tail = [
        "##[error]Process completed with exit code 1.",
        "Post job cleanup.",
        "[command]/usr/bin/git version",
        "git version 2.43.0",
        "Cleaning up orphan processes",
    ]
    lines = [*head, *excerpt.split("\n"), *tail]
    if stamped:  # a log downloaded from the run: every line carries the runner's timestamp
        lines = [f"2024-01-17T10:{n // 60 % 60:02}:{n % 60:02}.{n:07}Z {line}" for n, line in enumerate(lines)]
    return Framed("\n".join(lines), len(head))


def _travis(excerpt: str) -> Framed:
    head = [
        "travis_fold:start:worker_info",
        "Worker information",
        "hostname: 8ad4b6a1-5d0d-4c0b-9e3e-0c1f3f1e2a9d@1.worker-com-6f6c8d7b5-xk2lp.gce-production-3",
        "version: v6.2.22 https://github.com/travis-ci/worker/tree/4b8f2b3a",
        "instance: travis-job-3f2a travis-ci-sardonyx-xenial-1593004276-4d46c6b3 (via amqp)",
        "startup: 6.370897128s",
        "travis_fold:end:worker_info",
        "travis_time:end:0a1b2c:start=1700000000,finish=1700000001,duration=1",
        "travis_fold:start:git.checkout",
        "$ git clone --depth=50 --branch=main https://github.com/acme/widget.git acme/widget",
        "Cloning into 'acme/widget'...",
        "remote: Enumerating objects: 1234, done.",
        "remote: Counting objects: 100% (1234/1234), done.",
        "Receiving objects: 100% (1234/1234), 2.10 MiB | 9.80 MiB/s, done.",
        "Resolving deltas: 100% (612/612), done.",
        "$ cd acme/widget",
        "$ git checkout -qf 1a2b3c4d5e6f",
        "travis_fold:end:git.checkout",
        "Setting environment variables from .travis.yml",
        "$ export CI=true",
        "travis_fold:start:install",
        "$ ./ci/install.sh",
        *_SETUP_NOISE,
        "travis_fold:end:install",
        "$ ./ci/test.sh",
    ]
    tail = [
        "",
        'The command "./ci/test.sh" exited with 1.',
        "travis_fold:start:cache.2",
        "store build cache",
        "travis_fold:end:cache.2",
        "",
        "Done. Your build exited with 1.",
    ]
    return Framed("\n".join([*head, *excerpt.split("\n"), *tail]), len(head))


def _jenkins(excerpt: str, stamped: bool = False) -> Framed:
    head = [
        "Started by an SCM change",
        "Obtained Jenkinsfile from git https://github.com/acme/widget.git",
        "[Pipeline] Start of Pipeline",
        "[Pipeline] node",
        "Running on agent-3 in /var/lib/jenkins/workspace/widget_main",
        "[Pipeline] {",
        "[Pipeline] stage",
        "[Pipeline] { (Checkout)",
        "[Pipeline] checkout",
        "The recommended git tool is: NONE",
        " > git rev-parse --resolve-git-dir /var/lib/jenkins/workspace/widget_main/.git # timeout=10",
        "Fetching changes from the remote Git repository",
        " > git fetch --tags --force --progress -- https://github.com/acme/widget.git"
        " +refs/heads/*:refs/remotes/origin/* # timeout=10",
        "Checking out Revision 1a2b3c4d5e6f (refs/remotes/origin/main)",
        "Commit message: \"Handle errors in the cart\"",
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] stage",
        "[Pipeline] { (Install)",
        "[Pipeline] sh",
        "+ ./ci/install.sh",
        *_SETUP_NOISE,
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] stage",
        "[Pipeline] { (Test)",
        "[Pipeline] sh",
        "+ ./ci/test.sh",
    ]
    tail = [
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] }",
        "[Pipeline] // node",
        "[Pipeline] End of Pipeline",
        "ERROR: script returned exit code 1",
        "Finished: FAILURE",
    ]
    lines = [*head, *excerpt.split("\n"), *tail]
    if stamped:  # the Timestamper plugin's prefix on every line of a Pipeline's console
        lines = [f"[2024-01-17T10:{n // 60 % 60:02}:{n % 60:02}.{n % 1000:03}Z] {line}" for n, line in enumerate(lines)]
    return Framed("\n".join(lines), len(head))


def _gitlab(excerpt: str) -> Framed:
    head = [
        "Running with gitlab-runner 16.6.1 (f5da3c5a)",
        "  on docker-auto-scale 8a3b2c1d, system ID: s_0e4a1b2c3d4e",
        "section_start:1702000000:prepare_executor",
        'Preparing the "docker+machine" executor',
        "Using Docker executor with image python:3.11 ...",
        "Pulling docker image python:3.11 ...",
        "Using docker image sha256:4a1b2c3d for python:3.11 with digest python@sha256:9f8e7d6c ...",
        "section_end:1702000004:prepare_executor",
        "section_start:1702000004:get_sources",
        "Getting source from Git repository",
        "Fetching changes with git depth set to 20...",
        "Initialized empty Git repository in /builds/acme/widget/.git/",
        "Created fresh repository.",
        "Checking out 1a2b3c4d as detached HEAD (ref is main)...",
        "Skipping Git submodules setup",
        "section_end:1702000006:get_sources",
        "section_start:1702000006:step_script",
        'Executing "step_script" stage of the job script',
        "$ ./ci/install.sh",
        *_SETUP_NOISE,
        "$ ./ci/test.sh",
    ]
    tail = [
        "section_end:1702000300:step_script",
        "section_start:1702000300:cleanup_file_variables",
        "Cleaning up project directory and file based variables",
        "section_end:1702000301:cleanup_file_variables",
        "ERROR: Job failed: exit code 1",
    ]
    return Framed("\n".join([*head, *excerpt.split("\n"), *tail]), len(head))


def _azure(excerpt: str) -> Framed:
    head = [
        "##[section]Starting: Install",
        "==============================================================================",
        "Task         : Command line",
        "Description  : Run a command line script using Bash on Linux and macOS and cmd.exe on Windows",
        "Version      : 2.231.1",
        "Author       : Microsoft Corporation",
        "==============================================================================",
        "Generating script.",
        "========================== Starting Command Output ===========================",
        "/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/0a1b2c3d.sh",
        *_SETUP_NOISE,
        "##[section]Finishing: Install",
        "##[section]Starting: Test",
        "==============================================================================",
        "Task         : Command line",
        "Version      : 2.231.1",
        "==============================================================================",
        "Generating script.",
        "Script contents:",
        "./ci/test.sh",
        "========================== Starting Command Output ===========================",
        "/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/4e5f6a7b.sh",
    ]
    tail = [
        "##[error]Bash exited with code '1'.",
        "##[section]Finishing: Test",
    ]
    return Framed("\n".join([*head, *excerpt.split("\n"), *tail]), len(head))


def _circleci(excerpt: str) -> Framed:
    head = [
        "#!/bin/bash -eo pipefail",
        "./ci/install.sh",
        *_SETUP_NOISE,
        "",
        "#!/bin/bash -eo pipefail",
        "./ci/test.sh",
    ]
    tail = [
        "",
        "Exited with code exit status 1",
        "CircleCI received exit code 1",
    ]
    return Framed("\n".join([*head, *excerpt.split("\n"), *tail]), len(head))


def _make(excerpt: str, clocked: bool = False) -> Framed:
    """A plain console: make runs the install then the tests, and says which target failed; `clocked`: each
    line after a time of day (Jenkins' Timestamper on a freestyle job, `10:00:01 `)."""
    head = ["./ci/install.sh", *_SETUP_NOISE, "./ci/test.sh"]
    tail = ["make: *** [Makefile:23: test] Error 1"]
    lines = [*head, *excerpt.split("\n"), *tail]
    if clocked:
        lines = [f"10:{n // 60 % 60:02}:{n % 60:02} {line}" for n, line in enumerate(lines)]
    return Framed("\n".join(lines), len(head))


FRAMES = ("github-actions", "github-actions-stamped", "travis", "jenkins", "jenkins-stamped", "gitlab-ci",
          "azure-pipelines", "circleci", "make", "make-clocked")


def frame(excerpt: str, ci: str, trailing: bool = False) -> Framed:
    """`excerpt` as the failing step of a whole job log of CI system `ci` (one of FRAMES); `trailing` adds what
    a failing step often prints after its failure (a coverage table, an upload) before the runner's wrappers."""
    if trailing:
        excerpt = "\n".join((excerpt, *_AFTER_NOISE))
    if ci.startswith("github-actions"):
        return _actions(excerpt, ci.endswith("stamped"))
    if ci.startswith("jenkins"):
        return _jenkins(excerpt, ci.endswith("stamped"))
    if ci.startswith("make"):
        return _make(excerpt, ci.endswith("clocked"))
    by_name = {"travis": _travis, "gitlab-ci": _gitlab, "azure-pipelines": _azure, "circleci": _circleci}
    return by_name[ci](excerpt)
