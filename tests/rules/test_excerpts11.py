"""Session 11's excerpt mechanisms (excerpts-11): message families completed from the tool's own wording.

compose's `depends_on` dependency fails to start in three ways its convergence code names (`container x exited (N)`,
`is unhealthy`, `has no healthcheck configured`); the third, and compose v1's `Service "x" is missing a healthcheck
configuration`, were not read. RuboCop's offense head (`path.rb:L:C: SEV:`) was read only with a cop name and message
on the same line and a C/W/E/F severity: the message alone (old RuboCop, DisplayCopNames off), a wrapped head, and the
R (refactor) severity went unread. Each text below is quoted from a public thread (cited), with a near miss that must
not match.
"""

from __future__ import annotations

from pathlib import Path

from gardener.classify import analyse
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.widened_v9 import compose_dependency_v8, jvm_test_class_init_v8
from tests.corpus_scoring import classified
from tests.factories import result
from tests.rules.excerpt_first import first_finding_of

# hemilabs/heminetwork#98 (compose v2, Docker Desktop 4.29).
HEMI = """docker compose -f ./e2e/docker-compose.yml up
dependency failed to start: container e2e-op-node-1 has no healthcheck configured"""
# docker/genai-stack#57.
GENAI_STACK = """❯ docker compose up
genai-stack-pull-model-1 exited with code 0
dependency failed to start: container genai-stack-api-1 has no healthcheck configured"""
# arriven/db1000n#444 (compose v1): the dependency `updater` has no check.
DB1000N_V1 = """ERROR: for db1000n_38  Service "updater" is missing a healthcheck configuration

ERROR: for db1000n_31  Service "updater" is missing a healthcheck configuration"""
# docker/compose#4915 (compose v1, unquoted service name).
COMPOSE_4915_V1 = "ERROR: for php  Service db is missing a healthcheck configuration"
# Near miss: a status tool's own warning that a running container has no check (no dependency failed to start).
STATUS_WARNING = """Service worker: running
Warning: Container has no healthcheck configured
Service api: healthy"""


def test_a_dependency_without_a_healthcheck_stops_the_stack(tmp_path: Path) -> None:
    config = Config()
    for text, service in ((HEMI, "e2e-op-node-1"), (GENAI_STACK, "genai-stack-api-1"), (DB1000N_V1, "updater"),
                          (COMPOSE_4915_V1, "db")):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority, first.rule_id) == (
            "docker-build-failure", "P0", "docker.compose-dependency-unhealthy"), text
        assert ("service", service) in first.captures
        assert not compose_dependency_v8(text)  # the evidence before key-v9 did not read it


def test_a_warning_that_a_container_has_no_healthcheck_is_no_failed_dependency(tmp_path: Path) -> None:
    config = Config()
    path = tmp_path / "excerpt.txt"
    path.write_text(STATUS_WARNING, encoding="utf-8")
    assert all(f.rule_id != "docker.compose-dependency-unhealthy" for f in classified(path, config))


def test_the_widened_compose_rule_answers_to_the_key_before() -> None:
    line = GENAI_STACK.split("\n")[-1]
    analysis = analyse([result("job.log::up", message=line, details=GENAI_STACK)], Config())
    (f,) = analysis.findings
    assert f.rule_id == "docker.compose-dependency-unhealthy"
    lead = analysis.clusters[f.id].lead
    back = dict(older_keys(KeyInput(lead)))
    assert "key-v8" in back and back["key-v8"] != lead.key


# RuboCop 0.26 (rubocop/rubocop#1335) and 0.38 (rubocop/rubocop#2913): no cop names on the offense lines.
RUBOCOP_1335 = """Inspecting 1 file
C

Offenses:

test.rb:1:81: C: Line is too long. [85/80]
puts abcdefghijklmnopqrstuvwxyz, foobarfoobarfoobar(MyModule::SomeClassWithALongName)
                                                                                ^^^^^"""
RUBOCOP_2913 = """Inspecting 2 files
CC

Offenses:

a.rb:1:81: C: Line is too long. [89/80]
# aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
                                                                                ^^^^^^^^^
b.rb:4:1: C: Extra empty line detected at module body beginning."""
# rubocop/rubocop-rake#27: a narrow terminal wrapped the cop and message onto the next line.
RUBOCOP_WRAPPED = """Offenses:

lib/rubocop/cop/rake/class_definition_in_task.rb:32:81: C:
Layout/LineLength: Line is too long. [99/80]
        MSG = 'Do not define a %<type>s in rake task, because it will be
defined to the top level.'
       ^^^^^^^^^^^^^^^^^^^"""
# Near miss: a Ruby backtrace names a file and line without a column and severity letter (RuboCop's own, from
# rubocop/rubocop#11672).
_GEMS = "/Users/joseph.haig/.rbenv/versions/3.2.1/lib/ruby/gems/3.2.0/gems/rubocop-1.48.0"
RUBY_BACKTRACE = (f"{_GEMS}/lib/rubocop/cli.rb:43:in `run'\n"
                  f"{_GEMS}/exe/rubocop:19:in `block in <top (required)>'\n"
                  "/Users/joseph.haig/.rbenv/versions/3.2.1/lib/ruby/3.2.0/benchmark.rb:311:in `realtime'")


def test_rubocop_offense_heads_are_lint_whatever_follows_them(tmp_path: Path) -> None:
    config = Config()
    for text, file in ((RUBOCOP_1335, "test.rb"), (RUBOCOP_2913, "a.rb"),
                       (RUBOCOP_WRAPPED, "lib/rubocop/cop/rake/class_definition_in_task.rb")):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority, first.rule_id) == (
            "lint-failure", "P2", "lint.rubocop-offense-heads"), text
        assert ("file", file) in first.captures


def test_a_ruby_backtrace_line_is_no_offense_head(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(RUBY_BACKTRACE, encoding="utf-8")
    assert all(f.rule_id != "lint.rubocop-offense-heads" for f in classified(path, Config()))


def test_the_offense_head_rule_answers_to_the_key_before() -> None:
    analysis = analyse([result("job.log::lint", message="b.rb:4:1: C: Extra empty line detected at module body "
                                                        "beginning.", details=RUBOCOP_2913)], Config())
    (f,) = analysis.findings
    assert f.rule_id == "lint.rubocop-offense-heads"
    lead = analysis.clusters[f.id].lead
    back = dict(older_keys(KeyInput(lead)))
    assert "key-v8" in back and back["key-v8"] != lead.key


# tungstenite's Error::Http: the upgrade answered by something else than 101. snapview/tokio-tungstenite#267 (`{:?}` in
# an expect panic; two lines of the thread: the connect call from its code, naming the wss:// URL, and the panic it
# printed) and #340 (color-eyre's `{}` report under the request's trace, as printed).
TUNGSTENITE_DEBUG = """        connect_async(Url::parse("wss://stream.com:6787/ws/")
thread 'main' panicked at 'Can't connect: Http(Response { status: 400, version: HTTP/1.1, headers: {"date": "Wed, 08 Mar 2023 13:18:27 GMT", "content-type": "text/plain", "content-length": "20", "connection": "keep-alive"}, body: None })', src\\main.rs:12:10"""  # noqa: E501
TUNGSTENITE_DISPLAY = """ --> Request { method: GET, uri: wss://www.itdog.cn/websockets, version: HTTP/1.1, headers: {"connection": "Upgrade", "host": "www.itdog.cn", "upgrade": "websocket", "sec-websocket-version": "13", "sec-websocket-key": "BRSYTnKt3Okkv1F074vBMw=="}, body: () }
Error:
   0: HTTP error: 504 Gateway Timeout

Location:
   src/main.rs:41"""  # noqa: E501
# Near miss: the same `HTTP error:` words from a plain HTTP download, no WebSocket anywhere (written in the shape of a
# Rust CLI's error report; no upgrade was asked for).
PLAIN_HTTP_ERROR = """Downloading https://static.example.org/assets/index.json
Error:
   0: HTTP error: 504 Gateway Timeout"""


def test_tungstenites_http_error_is_a_rejected_handshake(tmp_path: Path) -> None:
    config = Config()
    for text, status in ((TUNGSTENITE_DEBUG, "400"), (TUNGSTENITE_DISPLAY, "504")):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority, first.rule_id) == (
            "websocket-handshake-error", "P2", "websocket.tungstenite-status"), text
        assert ("status", status) in first.captures


def test_an_http_error_without_a_websocket_is_not_read_as_a_handshake(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(PLAIN_HTTP_ERROR, encoding="utf-8")
    assert all(f.rule_id != "websocket.tungstenite-status" for f in classified(path, Config()))


# Surefire's closing `Tests in error:` list names each error's exception without its suffix, cut to the line: a test
# class that cannot initialise shows as `» ExceptionInInitializer` then `» NoClassDefFound Could not initiali...`.
# A course project's README quoting its Maven run (finalprojectB.UrlValidatorTest) and SwingX's test run
# (JXTitledPanelTest, JXPanelTest), both found with the code search on the summary's words.
SUREFIRE_URLVALIDATOR = ("Results :\n\n"
                         "Tests in error: \n"  # surefire's own trailing space
                         "  UrlValidatorTest.testManual:155 » ExceptionInInitializer\n"
                         "  UrlValidatorTest.testIsValid:172 » NoClassDefFound Could not initialize class ...")
SUREFIRE_SWINGX = """   JXTitledPanelTest.testBorderOnLFChange:81 » ExceptionInInitializer
   JXTitledPanelTest.testLayoutOnLFChange:93 » NoClassDefFound Could not initiali...
   JXTitledPanelTest.testTitleNotifyPropertyValue:113 » NoClassDefFound Could not...
   JXTitledPanelTest.testOpaque:69 » NoClassDefFound Could not initialize class o..."""
# Near miss: the same list naming an ordinary exception of a test (the SwingX run's ClassCast lines).
SUREFIRE_CLASSCAST = ("Tests in error: \n"
                      "   FindTest.testEditorFindNext:641 » ClassCast class java.util.regex.Matcher$Immu...")


def test_surefires_summary_of_a_class_that_cannot_initialise_is_a_load_failure(tmp_path: Path) -> None:
    config = Config()
    for text, module in ((SUREFIRE_URLVALIDATOR, "UrlValidatorTest"), (SUREFIRE_SWINGX, "JXTitledPanelTest")):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority, first.rule_id) == (
            "import-collection-error", "P1", "collect.jvm-test-class-init"), text
        assert ("module", module) in first.captures
        assert not jvm_test_class_init_v8(text)


def test_an_ordinary_exception_in_surefires_summary_is_no_load_failure(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(SUREFIRE_CLASSCAST, encoding="utf-8")
    assert all(f.category != "import-collection-error" for f in classified(path, Config()))


# Testcontainers' verdict that no strategy reached a Docker daemon: the unreachable daemon of the README's guide.
# jenkinsci/bom#4738 (a Jenkins build's stack, first lines) and eugenp/tutorials#18561 (its Jenkins agent without a
# socket; the strategies it tried, as quoted).
TESTCONTAINERS_BOM = """java.lang.IllegalStateException: Could not find a valid Docker environment. Please see logs and check configuration
	at org.testcontainers.dockerclient.DockerClientProviderStrategy.lambda$getFirstValidStrategy$7(DockerClientProviderStrategy.java:274)
	at java.base/java.util.Optional.orElseThrow(Optional.java:403)
	at org.testcontainers.dockerclient.DockerClientProviderStrategy.getFirstValidStrategy(DockerClientProviderStrategy.java:265)"""  # noqa: E501
TESTCONTAINERS_TUTORIALS = """java.lang.IllegalStateException: Could not find a valid Docker environment

UnixSocketClientProviderStrategy: failed with exception InvalidConfigurationException (Could not find unix domain socket). Root cause NoSuchFileException (/var/run/docker.sock)
"""  # noqa: E501
# Near miss: the socket is there but the job may not open it (a Quarkus guide's log of the same verdict, found with the
# code search): a permission problem, not a daemon that is not there.
TESTCONTAINERS_ACCESS_DENIED = """2024-05-15 12:22:07,164 ERROR [org.tes.doc.DockerClientProviderStrategy] (build-43) Could not find a valid Docker environment. Please check configuration. Attempted configurations were:
	UnixSocketClientProviderStrategy: failed with exception InvalidConfigurationException (Could not find unix domain socket). Root cause AccessDeniedException (/var/run/docker.sock)"""  # noqa: E501


def test_testcontainers_finding_no_docker_environment_is_an_unreachable_daemon(tmp_path: Path) -> None:
    config = Config()
    for text in (TESTCONTAINERS_BOM, TESTCONTAINERS_TUTORIALS):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority, first.rule_id) == (
            "docker-build-failure", "P0", "docker.testcontainers-no-environment"), text


def test_a_docker_socket_testcontainers_may_not_open_is_left_to_permissions(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(TESTCONTAINERS_ACCESS_DENIED, encoding="utf-8")
    assert all(f.rule_id != "docker.testcontainers-no-environment" for f in classified(path, Config()))
# testcontainers/testcontainers-java#981 (two of the thread's blocks, the verdict then the strategy's cause): the
# socket refused this user, so the denial decides, whichever line comes first.
TESTCONTAINERS_981 = """Caused by: java.lang.IllegalStateException: Could not find a valid Docker environment. Please see logs and check configuration
 [main] ERROR org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy - ping failed with configuration Environment variables, system properties and defaults. Resolved: 
    dockerHost=unix:///var/run/docker.sock
Caused by: org.testcontainers.shaded.io.netty.channel.AbstractChannel$AnnotatedConnectException: connect(..) failed: Permission denied: /var/run/docker.soc"""  # noqa: E501, W291


def test_a_docker_socket_denied_beside_testcontainers_verdict_decides(tmp_path: Path) -> None:
    first = first_finding_of(TESTCONTAINERS_981, Config(), tmp_path)
    assert first.category == "permission-denied"
