"""die()'s kernel panic with its oops report out of view (gardener/kernel_report.py): `Kernel panic - not syncing: Fatal
exception` names the native crash (segfault-crash) and is the evidence; the `---[ end Kernel panic ... ]---` trailer
that closes a panic is never evidence (it repeats the panic line above it); a panic that is no crash (`VFS: Unable to
mount root fs`) is not named one. Real text from different projects on each side, as cited per case."""

from __future__ import annotations

from pathlib import Path

from gardener.kernel_report import is_panic_after_report, name_kernel_panic
from tests.corpus_scoring import first_finding

# The CIP kernel test lab's LAVA job mail (cip-testing-results list, LAVA job 454713, 4 Oct 2021; corpus22
# c22-lava-kpanic-009): the lab quotes only the panic; the backtrace is the other CPU being stopped.
_CIP_LAVA = [
    "The job with ID # 454713 is now in state Finished and health Incomplete. Job was submitted by CIP-Testing.",
    "",
    "Job error: Kernel panic - not syncing: Fatal exception in interrupt",
    "[    7.918756] CPU1: stopping",
    "[    7.921459] CPU: 1 PID: 0 Comm: swapper/1 Tainted: G      D           4.19.209-rc1-gee3e528d83e9 #1",
    "[    7.930463] Hardware name: Altera SOCFPGA",
    "[    8.039327] [&lt;c01102bc&gt;] (secondary_start_kernel) from [&lt;001026ec&gt;] (0x1026ec)",
    "[    8.046523] ---[ end Kernel panic",
]

# NXP's dpio-driver fix quoted in a reply on linux-arm-kernel (Laurentiu Tudor, drivers/soc/fsl/dpio): the reply keeps
# the trace's tail, below the oops' header.
_DPIO_ARM = [
    ">  kthread+0x124/0x128",
    ">  ret_from_fork+0x10/0x18",
    "> Code: a9bc7bfd 910003fd a9025bf5 a90363f7 (f9402015)",
    "> ---[ end trace 38298e1a29e7a570 ]---",
    "> Kernel panic - not syncing: Fatal exception in interrupt",
    "> SMP: stopping secondary CPUs",
    "> SMP: failed to stop secondary CPUs 0-2",
    "> Kernel Offset: 0x21d378600000 from 0xffff800010000000",
    "> Memory Limit: none",
    "> ---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---",
]


def test_lab_mail_quoting_only_the_panic_names_a_native_crash(tmp_path: Path) -> None:
    assert first_finding(tmp_path, _CIP_LAVA) == ("segfault-crash", 3)


def test_quoted_trace_tail_points_at_the_panic_not_its_trailer(tmp_path: Path) -> None:
    assert first_finding(tmp_path, _DPIO_ARM) == ("segfault-crash", 5)


def test_trailer_is_never_evidence() -> None:
    assert is_panic_after_report("[    8.046523] ---[ end Kernel panic")
    assert is_panic_after_report("---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---")
    assert not is_panic_after_report("Job error: Kernel panic - not syncing: Fatal exception in interrupt")


def test_a_panic_that_is_no_crash_is_not_named_one() -> None:
    # Near-misses: a boot that finds no root file system (an Ubuntu forum post's console, 2007, find_string id
    # 56848496515) and init's own death, whose cause the line does not say (a kernel troubleshooting page's example,
    # find_string id 54621690955).
    vfs = "[ 0.820000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"
    assert name_kernel_panic(vfs) is None
    assert name_kernel_panic("Kernel panic - not syncing: Attempted to kill init!") is None
    # The jsm serial driver fix's console (Zheyu Ma, linux-serial, find_string id 27941569175).
    assert name_kernel_panic("[   50.969513] Kernel panic - not syncing: Fatal exception in interrupt") == (
        "segfault-crash", "Kernel panic - not syncing: Fatal exception")
