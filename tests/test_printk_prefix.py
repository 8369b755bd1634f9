"""A kernel console's printk prefix (`[    7.088822]`, with CONFIG_PRINTK_CALLER `[    7.088822][  T113]`) is peeled
like any runner's timestamp (text.clean_line), so a kernel report's header (`BUG: ...`, `Oops: ...`) is read as one.

Logs are cuts of real mailed reports (source above each: lines kept verbatim, runs of lines cut).
"""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log.prefilter import STRUCTURE
from gardener.kernel_report import is_kernel_frame
from gardener.text import clean_line, clean_plain
from tests.corpus_scoring import first_finding

# https://github.com/linux-mailinglist-archives/linux-scsi.vger.kernel.org.0 (corpus24 item 4): the kernel test robot's
# boot failure; its commit subject says `error handler`, the console below says what crashed.
LKP_SCSI = [
    "FYI, we noticed the following commit (built with gcc-12):",
    "",
    "commit: 6d1716982bc67e5c6409456e4a6d37fb6909a779 (\"scsi: core: Introduce a mechanism for reordering requests in "
    "the error handler\")",
    "",
    "[    7.088822][  T113] BUG: kernel NULL pointer dereference, address: 00000064",
    "[    7.089409][  T113] #PF: supervisor read access in kernel mode",
    "[    7.089981][  T113] #PF: error_code(0x0000) - not-present page",
    "[    7.090986][  T113] Oops: 0000 [#1] SMP PTI",
    "[    7.091358][  T113] CPU: 0 PID: 113 Comm: scsi_eh_1 Tainted: G            E      "
    "6.5.0-rc7-00153-g6d1716982bc6 #1",
    "[ 7.092974][ T113] EIP: scsi_call_prepare_resubmit (drivers/scsi/scsi_error.c:2202 "
    "drivers/scsi/scsi_error.c:2228) ",
]

# A patch mail to linux-kernel (Hao Ge, `alloc_tag`, Dec 2024; linux-mailinglist-archives) quoting the KASAN report it
# fixes. Without the prefix peeled no finding was made at all.
KASAN_MOVE_MODULE = [
    "We still encountered a KASAN bug.",
    "",
    "Here is the log for KASAN:",
    "",
    "[    5.041171][    T1] ==================================================================",
    "[    5.042047][    T1] BUG: KASAN: vmalloc-out-of-bounds in move_module+0x2c0/0x708",
    "[    5.042723][    T1] Write of size 240 at addr ffff80007e510000 by task systemd/1",
    "[    5.043412][    T1]",
    "[    5.043614][    T1] CPU: 0 UID: 0 PID: 1 Comm: systemd Not tainted 6.13.0-rc1+ #28",
    "[    5.046328][    T1] Call trace:",
    "[    5.046670][    T1]  show_stack+0x20/0x38 (C)",
]

# https://github.com/linux-mailinglist-archives/cip-testing-results.lists.cip-project.org.0 (corpus22 item 9): LAVA's
# mail quotes the panic as its job error; ARM's `Exception stack(...)` dump under it is a frame, not an exception.
LAVA_PANIC = [
    "Job error: Kernel panic - not syncing: Fatal exception in interrupt",
    "[    7.918756] CPU1: stopping",
    "[    7.964284] [&lt;c01022a8&gt;] (gic_handle_irq) from [&lt;c0101a0c&gt;] (__irq_svc+0x6c/0x90)",
    "[    7.971731] Exception stack(0xef13bf30 to 0xef13bf78)",
    "[    7.976762] bf20:                                     00000000 00002784 ef7df3c0 c011c2e0",
    "[    8.046523] ---[ end Kernel panic",
]


def test_the_printk_prefix_is_peeled() -> None:
    assert clean_line(LKP_SCSI[4]).text == "BUG: kernel NULL pointer dereference, address: 00000064"
    assert clean_line(LKP_SCSI[-1]).text.startswith("EIP: scsi_call_prepare_resubmit")
    assert clean_line(LAVA_PANIC[1]).text == "CPU1: stopping"
    # Near-misses: a bracketed level, a short number, a clock are not printk's time.
    assert clean_line("[ 1.5] x").text == "[ 1.5] x"
    assert clean_line("[INFO] x").text == "[INFO] x"


def test_a_boot_oops_is_the_finding_not_the_commit_subject(tmp_path: Path) -> None:
    category, line = first_finding(tmp_path, LKP_SCSI)
    assert category == "segfault-crash" and line is not None and line >= 5


def test_a_quoted_kasan_report_is_found(tmp_path: Path) -> None:
    assert first_finding(tmp_path, KASAN_MOVE_MODULE) == ("segfault-crash", 6)


def test_an_arm_exception_stack_dump_is_a_frame(tmp_path: Path) -> None:
    assert is_kernel_frame(clean_line(LAVA_PANIC[3]).text)
    assert first_finding(tmp_path, LAVA_PANIC) == ("segfault-crash", 1)


# https://github.com/linux-mailinglist-archives (stable@vger.kernel.org, Sasha Levin's backport of upstream commit
# 31c519981eb1, `drm/meson`, Adrián Larumbe): the commit message quotes the KASAN report as `dmesg -H` prints it, each
# line's time the delta since the line before (`[  +0.000029]`).
DMESG_DELTA_KASAN = [
    "Unloading the driver triggers the following KASAN warning:",
    "",
    "[  +0.006275] =============================================================",
    "[  +0.000029] BUG: KASAN: use-after-free in __list_del_entry_valid+0xe0/0x1a0",
    "[  +0.000026] Read of size 8 at addr ffff000020c395e0 by task rmmod/2695",
    "",
    "[  +0.000019] CPU: 5 PID: 2695 Comm: rmmod Tainted: G         C O      5.19.0-rc6-lrmbkasan+ #1",
    "[  +0.000013] Hardware name: Hardkernel ODROID-N2Plus (DT)",
    "[  +0.000008] Call trace:",
    "[  +0.000007]  dump_backtrace+0x1ec/0x280",
]
# https://github.com/linux-mailinglist-archives (KernelCI's regression mail for renesas-devel-2022-10-28-v6.1-rc2,
# igt-kms-rockchip on rk3399-gru-kevin): LAVA's log of a console that prints each record's syslog priority (`<6>`).
KERNELCI_CONSOLE = "2022-10-28T14:42:53.292992  <6>[   69.762232] Console: switching to colour dummy device 80x25"


def test_the_delta_and_priority_forms_are_peeled(tmp_path: Path) -> None:
    assert clean_line(DMESG_DELTA_KASAN[3]).text == "BUG: KASAN: use-after-free in __list_del_entry_valid+0xe0/0x1a0"
    assert clean_line(KERNELCI_CONSOLE).text == "Console: switching to colour dummy device 80x25"
    assert first_finding(tmp_path, DMESG_DELTA_KASAN) == ("segfault-crash", 4)


def test_code_in_angle_brackets_is_no_priority() -> None:
    # Near-misses: Flutter's `children: <Widget>[` opening a line, and a priority without printk's time after it.
    assert clean_line("<Widget>[   ").text == "<Widget>["
    assert clean_line("<6>[INFO] started").text == "<6>[INFO] started"


def test_a_printk_line_cleans_the_same_plain() -> None:
    # prefilter.py's contract: a line STRUCTURE passes over cleans the same by clean_plain as by clean_line.
    lines = [LKP_SCSI[4], KASAN_MOVE_MODULE[5], DMESG_DELTA_KASAN[3], "2024-05-01T08:00:00.1234567Z " + LAVA_PANIC[1]]
    for line in lines:
        assert STRUCTURE.search(line) is not None or clean_plain(line) == clean_line(line), line
