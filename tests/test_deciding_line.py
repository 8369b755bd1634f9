"""A crash header's evidence moved to the exit status under it that names the signal (gardener/deciding_line.py):
surefire's `The forked VM terminated without properly saying goodbye` over `Process Exit Code: 139` points at the
status line; a header that names the cause itself (yarn's `Killed` over `exit code 137`, make's `Error 139`) stays.
Real logs from different projects on each side of the boundary, as cited per case."""

from __future__ import annotations

from pathlib import Path

from tests.corpus_scoring import first_finding

# Apache Ozone's Argo-workflow CI, integration check (elek/ozone-ci-q4 fe97935,
# byscane/byscane-nightly-20191003-xfwsk/integration/output.log; corpus21 c21-argo-surefire-139-002), command shortened.
_OZONE_FORK_139 = [
    "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.0.0-M1:test (default-test) on "
    "project hadoop-ozone-integration-test: There are test failures.",
    "[ERROR] ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit "
    "called?",
    "[ERROR] Command was /bin/sh -c cd /workdir/hadoop-ozone/integration-test && /usr/lib/jvm/java-1.8-openjdk/jre/bin/"
    "java -Xmx2048m -XX:+HeapDumpOnOutOfMemoryError -jar /workdir/hadoop-ozone/integration-test/target/surefire/"
    "surefirebooter1665258807869957801.jar",
    "[ERROR] Error occurred in starting fork, check output in log",
    "[ERROR] Process Exit Code: 139",
    "[ERROR] Crashed tests:",
    "[ERROR] org.apache.hadoop.ozone.TestSecureOzoneCluster",
]

# commercetools-docs-kit issue 1424 (a CI build's yarn workspaces output; corpus18 c18-yarn-086): the header names
# the kill itself, the exit status under it only repeats it.
_YARN_KILLED = [
    "I noticed some recent failures in Build and Deploy > Building Websites.",
    "",
    "➤ YN0000: [@commercetools-website/frontend-studio]: Killed",
    "➤ YN0000: [@commercetools-website/frontend-studio]: Process exited (exit code 137), completed in 2m 24s",
]


def test_fork_crash_header_points_at_its_signal_status(tmp_path: Path) -> None:
    assert first_finding(tmp_path, _OZONE_FORK_139) == ("segfault-crash", 5)


def test_header_naming_the_cause_keeps_its_line(tmp_path: Path) -> None:
    # Near-miss: the status line under `Killed` names a signal too, but the header already says what happened.
    assert first_finding(tmp_path, _YARN_KILLED) == ("out-of-memory", 3)


def test_fork_crash_without_a_signal_keeps_its_header(tmp_path: Path) -> None:
    # Near-miss: exit code 1 names no signal; the fork crash stays on its header (runtime-exception, the guide's rule).
    lines = [line.replace("139", "1") for line in _OZONE_FORK_139]
    assert first_finding(tmp_path, lines) == ("runtime-exception", 2)
