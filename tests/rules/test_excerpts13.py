"""Session 12's second excerpt round (excerpts-13): families that transfer, not items.

A CI system losing the machine a job runs on says so in its own words, and ci.agent-lost knew Jenkins', GitLab's
runner-system, Azure's and Buildkite's but not these: TeamCity cancelling a build whose cloud agent went away
(`Canceled with comment: Agent removed`, its cloud log's `Cloud instance ... has gone`), a Jenkins inbound agent
(TCP or WebSocket) refused on reconnect while the controller still holds its stale channel (`is already connected to
this controller. Rejecting this connection`), and GitLab dropping a job its runner never picked up or stopped
reporting on (failure reason stuck_or_timeout_failure: `There has been a timeout failure or the job got stuck`). Each
text below is quoted from a public source (cited), with near misses that must not match.
"""

from __future__ import annotations

from gardener.classify import analyse
from gardener.cluster import Cluster
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from tests.factories import result

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
