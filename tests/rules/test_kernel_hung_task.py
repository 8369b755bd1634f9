"""timeout.kernel-hung-task: the Linux kernel's hung-task watchdog firing is the machine under test hanging, a
timeout-hang at P1 (the run stops on it), not the generic layer's timeout-hang at the category's P2 (corpus24's
syzbot btrfs report).

Real shapes: systemd/systemd#32000 (CentOS CI's Arch VM, journald's `kernel: ` after a console time:
`INFO: task khugepaged:136 blocked for more than 122 seconds.`), thesofproject/linux#3387 (the SOF daily test run's
syslog, a task name holding a colon: `kernel: INFO: task kworker/u32:2:113 blocked for more than 122 seconds.`),
nnstreamer/TAOS-CI#249 (a CI server's dmesg: `INFO: task update-mime-dat:16610 blocked for more than 120 seconds.`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified
from tests.rules.excerpt_first import first_finding_of

ADVICE = '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.'
SYSTEMD_32000 = (
    "[  245.528573] kernel: INFO: task khugepaged:136 blocked for more than 122 seconds.\n"
    "[  245.528579] kernel:       Not tainted 6.8.1-arch1-1 #1\n"
    f"[  245.528581] kernel: {ADVICE}\n"
    "[  245.528712] kernel: INFO: task test-journal-ve:482 blocked for more than 122 seconds.\n"
)
SOF_3387 = (
    "May 31 22:34:22 sh-tglh-0a70-hda-01 kernel: INFO: task kworker/u32:2:113 blocked for more than 122 seconds.\n"
    "May 31 22:34:22 sh-tglh-0a70-hda-01 kernel:       Not tainted 5.18.0-rc2-daily-default-20220531-0-g46f61a08b40c "
    "#dev\n"
    f"May 31 22:34:22 sh-tglh-0a70-hda-01 kernel: {ADVICE}\n"
    "May 31 22:34:22 sh-tglh-0a70-hda-01 kernel: task:kworker/u32:2   state:D stack:13032 pid:  113 ppid:     2 "
    "flags:0x00004000\n"
)
TAOS_CI_249 = (
    "[1186595.571416] INFO: task update-mime-dat:16610 blocked for more than 120 seconds.\n"
    "[1186595.571425]       Not tainted 4.15.0-33-generic #36~16.04.1-Ubuntu\n"
    f"[1186595.571428] {ADVICE}\n"
    "[1186595.571432] update-mime-dat D    0 16610  16609 0x00000000\n"
    "[1186595.571437] Call Trace:\n"
    "[1186595.571449]  __schedule+0x3d6/0x8b0\n"
    "[1186595.571454]  schedule+0x36/0x80\n"
    "[1186595.571460]  jbd2_log_wait_commit+0x98/0x120\n"
)


@pytest.mark.parametrize(("text", "task"), [
    (SYSTEMD_32000, "khugepaged"),
    (SOF_3387, "kworker/u32:2"),
    (TAOS_CI_249, "update-mime-dat"),
])
def test_the_hung_task_watchdog_is_a_hang_that_stops_the_run(text: str, task: str, config: Config,
                                                             tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.priority, f.rule_id) == ("timeout-hang", "P1", "timeout.kernel-hung-task"), f
    assert f"`{task}`" in f.title, f.title


# Near-misses: the watchdog's advice line without its report, and the setting on a kernel command line
# (rhinstaller/kickstart-tests#184's `inst.kernel.hung_task_timeout_secs=1200`), each beside a failing step.
@pytest.mark.parametrize("text", [
    f"[27792.382548] {ADVICE}\nError: Process completed with exit code 1.\n",
    "Use inst.kernel.hung_task_timeout_secs=1200 boot option by default.\nTimeout: the test timed out after 3600 s\n"
    "Error: Process completed with exit code 1.\n",
])
def test_the_advice_or_the_setting_alone_is_not_it(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    findings = classified(path, config)
    assert findings and all(f.rule_id != "timeout.kernel-hung-task" for f in findings)
