"""`gardener run` records into the store (replayed runs keep their commits and times) and the documents
gain a history line; `gardener history show|flaky|runs|prune|check` read it back, each with --json.
Real processes, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.history.helpers import junit

X, Y, Z = "tests/test_api.py::test_login", "tests/test_api.py::test_logout", "tests/test_api.py::test_profile"
# Five replayed runs: test_login fails in runs 2, 4 and 5; test_profile is never reached in run 3.
RUNS = [
    {X: "passed", Y: "passed", Z: "passed"},
    {X: "failed", Y: "passed", Z: "passed"},
    {X: "passed", Y: "passed"},
    {X: "failed", Y: "passed", Z: "skipped"},
    {X: "failed", Y: "passed", Z: "passed"},
]
SHAS = ["1111111aaaa", "2222222bbbb", "3333333cccc", "4444444dddd", "5555555eeee"]


def gardener(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "gardener", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env=full)


def replay(store: str, tmp: Path) -> list[subprocess.CompletedProcess[str]]:
    # The repository comes from git in the working directory (--repo would also reach for a tracker).
    subprocess.run(["git", "init", "-q", str(tmp)], check=True)
    subprocess.run(["git", "-C", str(tmp), "remote", "add", "origin", "https://github.com/o/r.git"], check=True)
    done = []
    for n, outcomes in enumerate(RUNS):
        report = junit(tmp / f"junit-{n}.xml", outcomes)
        done.append(gardener("run", "--history", store, "--run-id", str(1000 + n),
                             "--commit", SHAS[n], "--branch", "main", "--started-at", f"2026-11-{20 + n}T10:00:00Z",
                             "--out", str(tmp / f"out-{n}"), str(report), cwd=tmp))
    return done


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def replayed(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, list[subprocess.CompletedProcess[str]]]:
    """Replayed once per backend for the whole module (the tests read it; the prune test, last, empties it)."""
    tmp = tmp_path_factory.mktemp("replay")
    if request.param == "sqlite":
        store = str(tmp / "store" / "history.sqlite")
    else:
        from tests.history.conftest import fresh_database

        store = fresh_database(request.getfixturevalue("pg_server_url"))
    return store, tmp, replay(store, tmp)


def test_each_run_is_recorded_and_the_worklog_gains_a_history_line(replayed) -> None:  # type: ignore[no-untyped-def]
    _store, tmp, done = replayed
    for d in done:
        assert d.returncode == 0, d.stderr
        assert "history: recorded o/r gh:" in d.stderr
    worklog = next((tmp / "out-4").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    # The finding occurred in runs 2, 4, 5 of the 5 that executed test_login; first at 2222222.
    assert "**History:** failed in 3 of the last 5 runs (60%), first seen 2026-11-21 at 2222222" in worklog
    # Five days of runs (Nov 20..24) end the 14-day sparkline: pass, fail, pass, fail, fail.
    assert "`·········▁█▁██`" in worklog
    first = next((tmp / "out-0").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    assert "**History:**" not in first  # nothing failed in the first run


def test_recording_the_same_run_again_changes_nothing(replayed) -> None:  # type: ignore[no-untyped-def]
    store, tmp, _ = replayed
    again = gardener("run", "--history", store, "--run-id", "1004", "--commit", SHAS[4],
                     "--started-at", "2026-11-24T10:00:00Z", "--out", str(tmp / "again"), str(tmp / "junit-4.xml"),
                     cwd=tmp)
    assert again.returncode == 0 and "already recorded o/r gh:1004:1:" in again.stderr
    runs = json.loads(gardener("history", "--history", store, "runs", "--json", cwd=tmp).stdout)["runs"]
    assert len(runs) == 5
    assert [r["sha"] for r in runs] == list(reversed(SHAS))
    assert runs[0]["started_at"].startswith("2026-11-24T10:00:00") and runs[0]["failing"] == 1


def test_history_show_a_test(replayed) -> None:  # type: ignore[no-untyped-def]
    store, tmp, _ = replayed
    shown = gardener("history", "--history", store, "show", X, "--json", cwd=tmp)
    assert shown.returncode == 0, shown.stderr
    (s,) = json.loads(shown.stdout)["subjects"]
    assert s["kind"] == "test" and s["repo"] == "o/r"
    assert [r["outcome"] for r in s["runs"]] == ["failed", "failed", "passed", "failed", "passed"]
    assert s["first_seen"]["sha"] == SHAS[1] and s["last_seen"]["sha"] == SHAS[4]
    assert s["streak"] == {"state": "failing", "runs": 2, "since": {"at": "2026-11-23T10:00:00+00:00",
                                                                     "sha": SHAS[3]}}
    assert s["suspect"]["good"]["sha"] == SHAS[2] and s["suspect"]["bad"]["sha"] == SHAS[3]
    # test_profile: never reached in run 3 and skipped in run 4: 3 runs executed it, all passed.
    (p,) = json.loads(gardener("history", "--history", store, "show", Z, "--json", cwd=tmp).stdout)["subjects"]
    assert [r["outcome"] for r in p["runs"]] == ["passed", "skipped", "passed", "passed"]
    text = gardener("history", "--history", store, "show", X, cwd=tmp).stdout
    assert "streak: failing for 2 run(s)" in text and "first seen failing: 2026-11-21 10:00 at 2222222" in text


def test_history_check_is_a_dead_man_switch(replayed) -> None:  # type: ignore[no-untyped-def]
    store, tmp, _ = replayed
    ok = gardener("history", "--history", store, "check", "--max-age", "2d", cwd=tmp)
    assert ok.returncode == 0 and "ok    o/r" in ok.stdout
    stale = gardener("history", "--history", store, "check", "--max-age", "2d", "--repo", "o/other", cwd=tmp)
    assert stale.returncode == 1
    assert "no run recorded for o/other within 2d" in stale.stderr
    bad = gardener("history", "--history", store, "check", "--max-age", "two days", cwd=tmp)
    assert bad.returncode == 1 and "is not an age" in bad.stderr


def test_default_store_is_beside_the_config_and_env_url_wins(tmp_path: Path) -> None:
    (tmp_path / "gardener.toml").write_text("[gardener]\n", encoding="utf-8")
    report = junit(tmp_path / "junit.xml", {X: "failed"})
    sub = tmp_path / "sub"
    sub.mkdir()
    done = gardener("run", "--config", str(tmp_path / "gardener.toml"), "--out", str(tmp_path / "o"), str(report),
                    cwd=sub)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".gardener" / "history.sqlite").is_file()
    other = tmp_path / "env.sqlite"
    done = gardener("run", "--config", str(tmp_path / "gardener.toml"), "--out", str(tmp_path / "o"), str(report),
                    cwd=sub, env={"GARDENER_HISTORY_URL": str(other)})
    assert done.returncode == 0 and other.is_file()



def test_history_group_options_reach_its_commands(tmp_path: Path) -> None:
    # `gardener history --config/--history` are the group's; its commands read them from the group's context
    # when they run (the group's callback, which also runs before a command's --help, keeps nothing).
    (tmp_path / "gardener.toml").write_text("[gardener]\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    by_config = gardener("history", "--config", str(tmp_path / "gardener.toml"), "runs", cwd=sub)
    assert by_config.returncode == 1 and str(tmp_path / ".gardener" / "history.sqlite") in by_config.stderr
    by_env = gardener("history", "--config", str(tmp_path / "gardener.toml"), "runs", cwd=sub,
                      env={"GARDENER_HISTORY_URL": str(tmp_path / "env.sqlite")})
    assert by_env.returncode == 1 and str(tmp_path / "env.sqlite") in by_env.stderr
    config = str(tmp_path / "gardener.toml")
    given = gardener("history", "--history", str(tmp_path / "given.sqlite"), "--config", config, "runs", cwd=sub,
                     env={"GARDENER_HISTORY_URL": str(tmp_path / "env.sqlite")})
    assert given.returncode == 1 and str(tmp_path / "given.sqlite") in given.stderr

def test_actions_environment_names_the_run(tmp_path: Path) -> None:
    report = junit(tmp_path / "junit.xml", {X: "failed"})
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/app", "GITHUB_RUN_ID": "777",
           "GITHUB_RUN_ATTEMPT": "2", "GITHUB_SHA": "abcdef1234567890", "GITHUB_REF_NAME": "main",
           "GITHUB_WORKFLOW": "CI", "GITHUB_JOB": "test", "GITHUB_EVENT_NAME": "push",
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output.txt")}
    store = str(tmp_path / "h.sqlite")
    # Actions' own metadata outranks the command line's --commit.
    done = gardener("run", "--history", store, "--commit", "0000000", "--out", str(tmp_path / "o"), str(report),
                    cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    (run,) = json.loads(gardener("history", "--history", store, "runs", "--json", cwd=tmp_path).stdout)["runs"]
    assert run["repo"] == "acme/app" and run["key"] == "gh:777:2:test" and run["sha"] == "abcdef1234567890"
    assert run["url"] == "https://github.com/acme/app/actions/runs/777/attempts/2"
    assert (run["workflow"], run["job"], run["event"], run["branch"]) == ("CI", "test", "push", "main")


def test_help_and_a_run_without_history_never_import_the_database_layer(tmp_path: Path) -> None:
    report = junit(tmp_path / "junit.xml", {X: "failed"})
    probe = ("import sys, runpy\nsys.argv = ['gardener', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('gardener', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'psycopg', 'sqlite3'))\n"
             "print('DB-MODULES', bad, file=sys.stderr)\n")
    for args in (["--help"], ["history", "--help"], ["run", "--no-history", "--out", str(tmp_path / "o"),
                                                     str(report)]):
        done = subprocess.run([sys.executable, "-c", probe, *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, check=False)
        assert "DB-MODULES []" in done.stderr, (args, done.stderr[-500:])
    done = subprocess.run([sys.executable, "-c", probe, "run", "--history", str(tmp_path / "h.sqlite"), "--out",
                           str(tmp_path / "o"), str(report)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    # The probe itself can tell: recording in SQLite loads sqlite3, and only that.
    assert "DB-MODULES ['sqlite3', 'sqlite3.dbapi2']" in done.stderr, done.stderr[-500:]


def test_history_show_a_finding_flaky_then_prune_last(replayed) -> None:  # type: ignore[no-untyped-def]
    store, tmp, _ = replayed
    plan = json.loads((tmp / "out-4" / "plan.json").read_text(encoding="utf-8"))
    fid = plan["findings"][0]["id"]
    (f,) = json.loads(gardener("history", "--history", store, "show", fid, "--json", cwd=tmp).stdout)["subjects"]
    assert f["kind"] == "finding" and [r["outcome"] for r in f["runs"]] == ["failed", "failed", "passed", "failed",
                                                                            "passed"]
    flaky = json.loads(gardener("history", "--history", store, "flaky", "--window", "3000d", "--json",
                                cwd=tmp).stdout)["flaky"]
    assert [(x["test"], x["failures"], x["runs"]) for x in flaky] == [(X, 3, 5)]
    assert gardener("history", "--history", store, "show", "nope::nothing", cwd=tmp).returncode == 1
    pruned = json.loads(gardener("history", "--history", store, "prune", "--keep", "1d", "--json", cwd=tmp).stdout)
    assert pruned["runs_deleted"] == 5
    assert json.loads(gardener("history", "--history", store, "runs", "--json", cwd=tmp).stdout)["runs"] == []
