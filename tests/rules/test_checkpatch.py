"""lint.checkpatch: checkpatch.pl's report (the Linux kernel's script, run as is by Zephyr's and nRF Connect's CI bots,
the 0-day bot and BlueZ's CI, and forked by QEMU's patchew) is a style check failing, not an unknown failure
(corpus24's patchew reply, which fell to generic.exit-code).

Real shapes: nrfconnect/sdk-nrf#5 (NordicBuilder's `-:39: ERROR:TRAILING_WHITESPACE: trailing whitespace` /
`#39: FILE: Jenkinsfile:86:` / `Your patch has style problems, please review.`), thesofproject/linux#206 (the 0-day
bot's report quoted with `> `: `ERROR: Remove Gerrit Change-Id's before submitting upstream.` / `#9: `, no FILE, and
`./linux-sof-driver/0001-...patch has style problems, please review.`), zephyrproject-rtos/zephyr#29960 (a run pasted
without its closing lines: `-:340: WARNING:LONG_LINE: ...` / `#340: FILE: drivers/display/ls0xx.c:63:`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified
from tests.rules.excerpt_first import first_finding_of

NRF_5 = (
    "Found the following issues, please fix and resubmit:\n"
    "\n"
    "## checkpatch issues\n"
    "\n"
    "No additional types will be considered - file 'scripts/checkpatch/typedefsfile': No such file or directory\n"
    "-:39: ERROR:TRAILING_WHITESPACE: trailing whitespace\n"
    "#39: FILE: Jenkinsfile:86:\n"
    '+            println "CI_CFG_SHA = ${CI_CFG_SHA}" $\n'
    "\n"
    "-:44: ERROR:TRAILING_WHITESPACE: trailing whitespace\n"
    "#44: FILE: Jenkinsfile:91:\n"
    '+          println "rootDir = ${rootDir}" $\n'
    "\n"
    "- total: 2 errors, 0 warnings, 60 lines checked\n"
    "\n"
    "NOTE: Whitespace errors detected.\n"
    "      You may wish to use scripts/cleanpatch or scripts/cleanfile\n"
    "\n"
    "Your patch has style problems, please review.\n"
)
SOF_206 = (
    "> ERROR: Remove Gerrit Change-Id's before submitting upstream.\n"
    "> #9: \n"
    "> Change-Id: I5f174135f500485bfba4a6515282430f43fd4f8d\n"
    "> \n"
    "> total: 1 errors, 0 warnings, 0 checks, 8 lines checked\n"
    "> \n"
    "> ./linux-sof-driver/0001-Remove-developer-debug-code.patch has style problems, please review.\n"
)
ZEPHYR_29960 = (
    "git diff upstream/master | ./scripts/checkpatch.pl --mailback --no-tree -\n"
    "-:340: WARNING:LONG_LINE: line length of 81 exceeds 80 columns\n"
    "#340: FILE: drivers/display/ls0xx.c:63:\n"
    "+#if defined(CONFIG_LS0XX_VCOM_DRIVER) && DT_INST_NODE_HAS_PROP(0, extcomin_gpios)\n"
    "\n"
    "-:349: WARNING:LONG_LINE: line length of 91 exceeds 80 columns\n"
    "#349: FILE: drivers/display/ls0xx.c:72:\n"
    "+\t\tgpio_pin_toggle(driver->extcomin_dev, DT_INST_GPIO_PIN(0, extcomin_gpios));\n"
)


@pytest.mark.parametrize(("text", "file"), [
    (NRF_5, "Jenkinsfile"),
    (SOF_206, ""),
    (ZEPHYR_29960, "drivers/display/ls0xx.c"),
])
def test_a_checkpatch_report_is_a_style_check_failing(text: str, file: str, config: Config, tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.priority, f.rule_id) == ("lint-failure", "P2", "lint.checkpatch"), f
    assert file in f.title, f.title


# Near-misses: a clean run (riboseinc/retrace#422's closing count and checkpatch.pl's own clean verdict), the message
# lines listed without their `#N:` place or a verdict (adrienverge/openfortivpn#524, a discussion of what to ignore),
# and Python logging's `ERROR:root:` over a comment line.
@pytest.mark.parametrize("text", [
    "total: 0 errors, 0 warnings, 46 lines checked\n\n"
    "0001-fix.patch has no obvious style problems and is ready for submission.\n"
    "Error: Process completed with exit code 1.\n",
    "ERROR: code indent should use tabs where possible\nWARNING: please, no spaces at the start of a line\n"
    "WARNING: please, no space before tabs\nError: Process completed with exit code 1.\n",
    "ERROR:root: upload failed\n#1: retrying\nError: Process completed with exit code 1.\n",
])
def test_no_report_or_a_clean_one_is_not_it(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    assert all(f.rule_id != "lint.checkpatch" for f in classified(path, config))


# BlueZ's patchwork CI (its mailed report, linux-bluetooth list archive, series 666640, corpus19's item): the CI's own
# spdxcheck helper cannot import `ply` and prints its traceback inside the CheckPatch section, checkpatch carries on
# and its warnings fail the check. The locator takes the traceback's ModuleNotFoundError as the evidence and
# collect.module-not-found names it; nothing says the traceback explains no failing check.
BLUEZ_CI = (
    "Test Summary:\n"
    "CheckPatch                    FAIL      6.70 seconds\n"
    "BuildKernel                   PASS      34.25 seconds\n"
    "\n"
    "##############################\n"
    "Test: CheckPatch - FAIL - 6.70 seconds\n"
    "Run checkpatch.pl script with rule in .checkpatch.conf\n"
    "[v5,3/5] Bluetooth: Add support for hci devcoredump\\Traceback (most recent call last):\n"
    '  File "scripts/spdxcheck.py", line 6, in <module>\n'
    "    from ply import lex, yacc\n"
    "ModuleNotFoundError: No module named 'ply'\n"
    "WARNING:SPLIT_STRING: quoted string split across lines\n"
    "#617: FILE: net/bluetooth/coredump.c:300:\n"
    '+				    "Devcoredump complete with size %u "\n'
    "\n"
    "total: 0 errors, 1 warnings, 0 checks, 699 lines checked\n"
    "\n"
    "/github/workspace/src/12940740.patch has style problems, please review.\n"
)


@pytest.mark.xfail(strict=True, reason="a helper's traceback inside checkpatch's output (BlueZ CI's spdxcheck "
                   "missing `ply`) is taken as the evidence over the checkpatch report that fails the check")
def test_a_helpers_traceback_inside_the_report_does_not_explain_it(config: Config, tmp_path: Path) -> None:
    f = first_finding_of(BLUEZ_CI, config, tmp_path)
    assert (f.category, f.rule_id) == ("lint-failure", "lint.checkpatch"), f
