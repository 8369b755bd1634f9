"""gardener/dataclass_code.py: the CLI compiles each dataclass method text once per interpreter. A class
made through the table is the class `@dataclass` makes without it; a table that does not read back is a
miss; nothing is written where bytecode would not be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Defines one class without the table and the same class through it, and says how they compare.
_PROBE = r'''
import dataclasses, inspect, json, sys
from pathlib import Path

SOURCE = """
@dataclasses.dataclass(frozen=True, slots=True)
class Model:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    extra: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)
"""

def define():
    ns = {"dataclasses": dataclasses}
    exec(SOURCE, ns)
    return ns["Model"]

plain = define()
from gardener.dataclass_code import install

table = install(Path(sys.argv[1]))
cached = define()
a, b = plain("x", 2, ("t",)), cached("x", 2, ("t",))
methods = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
try:
    b.name = "y"
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({
    "same_code": all(getattr(plain, m).__code__.co_code == getattr(cached, m).__code__.co_code for m in methods),
    "same_annotations": plain.__init__.__annotations__ == cached.__init__.__annotations__,
    "same_signature": str(inspect.signature(plain)) == str(inspect.signature(cached)),
    "same_behaviour": (repr(a), hash(a), a == plain("x", 2, ("t",))) == (repr(b), hash(b), b == cached("x", 2, ("t",))),
    "frozen": frozen,
    "hits": table.hits,
    "misses": table.misses,
}))
'''


def _define(table: Path, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | env
    out = subprocess.run([sys.executable, "-c", _PROBE, str(table)], capture_output=True, text=True, check=True,
                         env=environ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_a_class_through_the_table_is_the_class_without_it_and_a_second_start_compiles_nothing(tmp_path):
    table = tmp_path / "dataclass-code.bin"
    first = _define(table)
    assert {k: first[k] for k in ("same_code", "same_annotations", "same_signature", "same_behaviour", "frozen")} \
        == dict.fromkeys(("same_code", "same_annotations", "same_signature", "same_behaviour", "frozen"), True)
    assert first["hits"] == 0 and first["misses"] == 6  # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    assert table.is_file()
    second = _define(table)
    assert second["same_code"] and second["same_annotations"] and second["same_behaviour"]
    assert second["hits"] == 6 and second["misses"] == 0


def test_a_table_that_does_not_read_back_is_a_miss_and_is_written_again(tmp_path):
    table = tmp_path / "dataclass-code.bin"
    table.write_bytes(b"not a table at all")
    got = _define(table)
    assert got["same_code"] and got["misses"] == 6
    assert _define(table)["hits"] == 6


def test_nothing_is_written_where_bytecode_would_not_be(tmp_path):
    table = tmp_path / "dataclass-code.bin"
    assert _define(table, PYTHONDONTWRITEBYTECODE="1")["misses"] == 6
    assert not table.exists()


def _installed_after(*args: str) -> tuple[bool, bool]:
    """(installed before the entry point ran, installed after it) for `gardener ARGS`."""
    probe = (
        "import dataclasses, sys\n"
        "import gardener.cli, gardener.pipeline\n"
        "before = hasattr(dataclasses, 'exec')\n"
        "sys.argv = ['gardener', *sys.argv[1:]]\n"
        "try:\n    gardener.cli.main()\nexcept SystemExit:\n    pass\n"
        "print(before, hasattr(dataclasses, 'exec'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True,
                          env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"})
    before, after = done.stdout.split()[-2:]
    return before == "True", after == "True"


def test_a_command_installs_it_and_importing_gardener_does_not(tmp_path):
    # Installed when a command's body is about to run (cli_click.GardenerCommand), which is where the
    # stages and their dataclasses are imported; even one that fails on its input.
    assert _installed_after("ingest", str(tmp_path / "missing.xml")) == (False, True)
    assert _installed_after("history", "--history", str(tmp_path / "none.sqlite"), "runs") == (False, True)


def test_help_and_usage_errors_define_no_dataclass_so_leave_dataclasses_alone():
    # `--help` (issue 11 item 1) loads neither the table nor, in the CLI alone, `dataclasses`:
    # tests/test_cli_imports.py checks the second.
    assert _installed_after("--help") == (False, False)
    assert _installed_after("ingest", "--help") == (False, False)
    assert _installed_after("ingest", "--kind", "nope", "x") == (False, False)


def test_the_command_group_run_otherwise_leaves_dataclasses_alone(tmp_path):
    # click's CliRunner (tests, a program embedding the CLI) runs the group, not the entry point.
    probe = (
        "import dataclasses, sys\n"
        "from click.testing import CliRunner\n"
        "from gardener.cli import cli\n"
        "CliRunner().invoke(cli, ['ingest', sys.argv[1]])\n"
        "print(hasattr(dataclasses, 'exec'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "missing.xml")], capture_output=True,
                          text=True, check=True, env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"})
    assert done.stdout.split()[-1] == "False"
