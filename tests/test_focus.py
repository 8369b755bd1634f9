import pytest

from gardener.correlate import correlate
from gardener.errors import ConfigError
from gardener.focus import apply_focus
from tests.factories import finding, result


def test_focus_keeps_matches_and_their_blockers_and_drops_the_rest():
    build = finding("build", "docker-build-failure", "infrastructure", priority="P0",
                    blocks=("connection-refused",), results=(result("log:build", kind="log", message="build failed"),))
    refused = finding("refused", "connection-refused", "environment", blocks=(),
                      results=(result("tests/integration/test_websocket_events.py::test_agent_started",
                                      message="ConnectionRefusedError"),))
    auth = finding("auth", "assertion-failure", results=(result("tests/unit/test_auth.py::test_login",
                                                                 message="assert 401 == 200"),))
    linked, _ = correlate([build, refused, auth])
    kept = apply_focus(linked, ("websocket",))
    assert [f.id for f in kept] == ["build", "refused"]


def test_focus_is_case_insensitive_regex_and_matches_properties():
    f = finding("a", "assertion-failure",
                results=(result("t::x", message="m", properties=(("command", "pytest -k WebSocket"),)),))
    assert apply_focus([f], ("web.?socket",)) == (f,)
    assert apply_focus([f], ("graphql",)) == ()


def test_bad_regex_is_a_config_error_naming_the_option():
    with pytest.raises(ConfigError, match="--focus"):
        apply_focus([finding("a", "x")], ("(unclosed",))
