"""Session 12's second excerpt round (excerpts-13): families that transfer, not items.

A CI system losing the machine a job runs on says so in its own words, and ci.agent-lost knew Jenkins', GitLab's
runner-system, Azure's and Buildkite's but not these: TeamCity cancelling a build whose cloud agent went away
(`Canceled with comment: Agent removed`, its cloud log's `Cloud instance ... has gone`), a Jenkins inbound agent
(TCP or WebSocket) refused on reconnect while the controller still holds its stale channel (`is already connected to
this controller. Rejecting this connection`), and GitLab dropping a job its runner never picked up or stopped
reporting on (failure reason stuck_or_timeout_failure: `There has been a timeout failure or the job got stuck`).
Docker's registry v1 client words a refused pull its own way too (`Error: Status 403 trying to pull repository`). Each
text below is quoted from a public source (cited), with near misses that must not match.
"""

from __future__ import annotations

from pathlib import Path

from gardener.classify import analyse
from gardener.cluster import Cluster
from gardener.config import Config
from gardener.dependency_build import dependency_words
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from tests.factories import result
from tests.rules.excerpt_first import first_finding_of

AGENT_LOST = (
    # JetBrains/teamcity-kubernetes-plugin#48 (the build's verdict, then the cloud log's reason).
    "We often get fails of our builds with message: Canceled with comment: Agent removed",
    ("[2019-05-23 11:08:22,983]   INFO [uled executor 3] - .server.impl.CloudEventsLogger - Cloud instance has gone "
     "(is not reported by cloud profile): profileId=kube-5, imageId=0, instanceId=agents-deployment-c56ae77c"),
    # JetBrains/teamcity-google-agent#16 (a preempted Google Compute agent).
    ("[2018-03-26 08:54:20,619]   INFO [ing Executor 22] - ces.terminate.AgentRemoverImpl - Removing cloud agent "
     "\"visokio-teamcity-agent-linux-cloud-4-8-pd-std-15\" {id=591} because: Cloud instance "
     "(id=visokio-teamcity-agent-linux-cloud-4-8-pd-std-15, imageId=visokio-teamcity-agent-linux-cloud-4-8-pd-std-, "
     "profileId=google-7) has gone (is not reported by cloud profile)"),
    # CloudBees KB 115001762231 (a Windows JNLP agent, Jenkins 2.60+ wording, and before it `master`).
    ("2017-08-29 21:09:27.738-0000 [id=...]\tWARNING\tj.slaves.JnlpSlaveHandshake#error: TCP slave agent connection "
     "handler #12 with /10.0.0.5:51234 is aborted: win-agent-3 is already connected to this controller. Rejecting "
     "this connection."),
    ("INFO: Server didn't accept the handshake: win-agent-3 is already connected to this master. Rejecting this "
     "connection."),
    # GitLab Runner's Kubernetes troubleshooting page (a runner pod that registered and never ran the job); qemu-devel,
    # March 2025 (a job GitLab dropped after its runner stopped reporting).
    "There has been a timeout failure or the job got stuck. Check your timeout limits or try again.",
    'GitLab says:\n"There has been a timeout failure or the job got stuck. Check your\ntimeout limits or try again"',
)
# Near misses (another rule may name them, not this one): a build a user cancelled (ci.operation-canceled), a cloud
# agent that started, a client library's own `already connected`, GitLab's own verdict on a script that ran past its
# limit (a timeout, not a lost runner).
NOT_AGENT_LOST = (
    "Canceled with comment: Build was canceled by user",
    "INFO - .server.impl.CloudEventsLogger - Cloud instance start succeeded: profile 'Google Compute Engine cloud'",
    "redis.exceptions.ConnectionError: Client is already connected to this server",
    "ERROR: Job failed: execution took longer than 1h0m0s seconds",
)


def _one(message: str) -> tuple[Finding, Cluster]:
    analysis = analyse([result("job.log::build", message=message, details=message)], Config())
    ((f,),) = [analysis.findings]
    return f, analysis.clusters[f.id]


def test_ci_systems_losing_their_agent_are_a_runner_failure() -> None:
    for text in AGENT_LOST:
        f, _ = _one(text)
        assert (f.rule_id, f.category, f.priority) == ("ci.agent-lost", "ci-runner-failure", "P1"), text


def test_near_misses_are_not_a_lost_agent() -> None:
    for text in NOT_AGENT_LOST:
        f, _ = _one(text)
        assert f.rule_id != "ci.agent-lost", text


def test_a_lost_agent_the_rule_now_names_answers_to_the_key_before() -> None:
    _, cluster = _one(AGENT_LOST[0])
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v9" in back and back["key-v9"] != cluster.lead.key


def test_a_lost_agent_the_rule_named_before_keeps_its_key() -> None:
    f, cluster = _one("FATAL: command execution failed\nhudson.remoting.ChannelClosedException: Channel "
                      "\"hudson.remoting.Channel@1a2b:agent-7\": Remote call on agent-7 failed. The channel is closing "
                      "down or has closed")
    assert f.rule_id == "ci.agent-lost"
    assert "key-v9" not in dict(older_keys(KeyInput(cluster.lead)))


# Docker before 1.10 pulling over the registry v1 API words a refused pull `Error: Status 4xx trying to pull repository
# <name>: "<the registry's body>"`; the body (`Permission Denied`, `Access Denied`) read as a file-system error.
V1_PULL_REFUSED = (
    # moby/moby#32097 (a local registry's access control, its HTML body cut here).
    "Error: Status 403 trying to pull repository consul: `<HEAD><TITLE>Access Denied</TITLE></HEAD>`",
    # docker/kitematic#1281 and #1464 (Docker Hub: an inactive account, a locked private repository).
    'Error: Status 403 trying to pull repository snapbook/api-gateway: "Account is not Active"',
    'Error: Status 403 trying to pull repository msimoneau/portail-base-master: "\\"The Repository is Locked, access '
    'denied\\""',
    # GoogleContainerTools/container-structure-test#48 (gcr.io serving only the v2 API to an old client).
    ("Pulling repository gcr.io/gcp-runtimes/container-structure-test\nError: Status 405 trying to pull repository "
     'gcp-runtimes/container-structure-test: "v1 Registry API is disabled. If you are not explicitly using the v1 '
     'Registry API, it is possible your v2 image could not be found."'),
)
# Near misses: the registry failing on its own (5xx), a v1 push refused (a push, not a pull).
NOT_V1_PULL_REFUSED = (
    'Error: Status 500 trying to pull repository library/ubuntu: "Internal Server Error"',
    'Error: Status 403 trying to push repository acme/app: "Account is not Active"',
)


def test_a_registry_v1_pull_refused_is_a_refused_pull() -> None:
    for text in V1_PULL_REFUSED:
        f, _ = _one(text)
        assert (f.rule_id, f.category) == ("registry.pull-denied", "registry-access-failure"), text


def test_registry_v1_near_misses_are_not_a_refused_pull() -> None:
    for text in NOT_V1_PULL_REFUSED:
        f, _ = _one(text)
        assert f.rule_id != "registry.pull-denied", text


def test_a_registry_v1_refusal_answers_to_the_key_before() -> None:
    _, cluster = _one(V1_PULL_REFUSED[1])
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v9" in back and back["key-v9"] != cluster.lead.key


def test_a_pull_the_rule_refused_before_keeps_its_key() -> None:
    f, cluster = _one("Error response from daemon: pull access denied for acme/private, repository does not exist or "
                      "may require 'docker login': denied: requested access to the resource is denied")
    assert f.rule_id == "registry.pull-denied"
    assert "key-v9" not in dict(older_keys(KeyInput(cluster.lead)))


# Haskell Stack unpacks a snapshot or Hackage package it builds into a temporary `stackNNNN/<name>-<version>/`
# directory (a project's own package is built where it sits), and GHC prints a diagnostic's place on its own line
# above the message: a compile error placed there is the dependency's build failing.
STACK_DEPENDENCY_BUILDS = (
    # commercialhaskell/stack#941 (`stack install happy`, GHC 7.10: the bare place above the message).
    """    Process exited with code: ExitFailure 1
    Logs have been written to: /Users/jeremybi/.stack/global/.stack-work/logs/happy-1.19.5.log


    /var/folders/f3/vdwt6pq13jx9vlx_xz_83rkw0000gn/T/stack77141/happy-1.19.5/Setup.lhs:13:8:
        Could not find module ‘System.FilePath’
        It is a member of the hidden package ‘filepath-1.4.0.0@filep_KsGE6pHE5eZHSN90ZVax6A’.
        Use -v to see a list of the files searched for.""",
    # syucream/hastodon#22 (an extra-dep, GHC 8.2: `path: error:` above the message).
    """    Building library for Hastodon-0.4.0..
    [1 of 1] Compiling Web.Hastodon     ( Web/Hastodon.hs, \
.stack-work/dist/x86_64-linux-nopie/Cabal-2.0.1.0/build/Web/Hastodon.o )

    /tmp/stack6559/Hastodon-0.4.0/Web/Hastodon.hs:71:1: error:
        Could not find module ‘Web.Hastodon.API’
        Use -v to see a list of the files searched for.""",
    # ekmett/bound#62 (an extra-dep's Setup.lhs, a one-number version).
    """    /tmp/stack11223/bound-2/Setup.lhs:24:1: error:
        Failed to load interface for ‘Warning’
        Use -v to see a list of the files searched for.""",
)
# Near misses: the project's own package (commercialhaskell/stack#304: `stack unpack`ed into the working directory,
# a relative place; commercialhaskell/stack#991: a Windows project path).
STACK_OWN_BUILDS = (
    """Progress: 4/5
System/Executable/Hash/Internal.hs:8:18:
    Could not find module ‘Crypto.Hash.SHA1’
    Use -v to see a list of the files searched for.""",
    """C:\\Users\\Adityakumar\\Desktop\\boxes2\\app\\Main.hs:11:8:
    Could not find module `Network.HTTP.Conduit'
    Use -v to see a list of the files searched for.""",
)


def test_a_compile_error_in_a_package_stack_unpacked_is_the_dependencys(tmp_path: Path) -> None:
    for text in STACK_DEPENDENCY_BUILDS:
        first = first_finding_of(text, Config(), tmp_path)
        assert (first.category, first.priority) == ("dependency-install-failure", "P0"), text


def _placed_in_a_fetched_tree(text: str) -> str | None:
    """dependency_words on the excerpt's message line (the line under its place), read as a compile error."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "Could not find module" in line or "Failed to load" in line)
    return dependency_words("compile-error", lines[at], lines[:at], lines[at + 1:])


def test_the_place_above_the_message_says_whose_code_it_is() -> None:
    for text in STACK_DEPENDENCY_BUILDS:
        assert _placed_in_a_fetched_tree(text) == "in a fetched dependency's source", text
    for text in STACK_OWN_BUILDS:
        assert _placed_in_a_fetched_tree(text) is None, text
    # A place with a message on its own line is not a bare place: the message under it is another diagnostic's.
    assert dependency_words("compile-error", "    Could not find module ‘X’",
                            ["/tmp/stack1/pkg-1.0/A.hs:3:1: warning: [-Wunused-imports]"], []) is None


# GHC's missing module pasted without its place is known by GHC's own hint lines under it: a module the build does
# not declare or cannot see (the project's .cabal), a compile error, not a package an install lost.
GHC_MISSING_MODULES = (
    # atom-haskell/ide-haskell#87 (ghc-mod's report of it).
    """Could not find module `Control.Monad.State'
It is a member of the hidden package `mtl-2.2.1'.
Perhaps you need to add `mtl' to the build-depends in your .cabal file.
Use -v to see a list of the files searched for.""",
    # valderman/haste-compiler#53 (under hastec's panic banner, cut here).
    """    Could not find module `Control.Monad.Cont.Class'
It is a member of the hidden package `mtl-2.1.2'.
Perhaps you need to add `mtl' to the build-depends in your .cabal file.
Use -v to see a list of the files searched for.""",
)
# Near misses: a missing module without GHC's hints (no compiler said it), Windows' ctypes failing to load a DLL.
NOT_GHC_MISSING_MODULES = (
    "Could not find module ‘Data.Aeson’",
    "FileNotFoundError: Could not find module 'C:\\hostedtoolcache\\windows\\Python\\3.9.13\\x64\\lib\\libzbar-64.dll' "
    "(or one of its dependencies). Try using the full path with constructor syntax.",
)


def test_ghcs_missing_module_with_its_hints_is_a_compile_error(tmp_path: Path) -> None:
    for text in GHC_MISSING_MODULES:
        first = first_finding_of(text, Config(), tmp_path)
        assert (first.category, first.priority) == ("compile-error", "P1"), text


def test_a_missing_module_without_ghcs_hints_is_not_read_as_ghcs(tmp_path: Path) -> None:
    for text in NOT_GHC_MISSING_MODULES:
        assert first_finding_of(text, Config(), tmp_path).category != "compile-error", text
