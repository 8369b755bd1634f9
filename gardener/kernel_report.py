"""The Linux kernel's own report format, as kernel CI bots mail it (syzbot, 0-day, KernelCI consoles).

A kernel report starts with a header line that names what went wrong (`BUG: KASAN: use-after-free in ...`, `BUG:
memory leak`, `WARNING: CPU: 1 PID: 57 at drivers/usb/core/urb.c:478 ...`, `general protection fault, ...`, `kernel
BUG at mm/slub.c:123!`, `UBSAN: ... in ...`, `INFO: task x:12 blocked for more than 143 seconds.`), then registers and a
call trace whose frames are `symbol+0xoff/0xlen file:line` (Documentation/admin-guide/bug-hunting.rst). The header is
the explaining line; the frames say only where it passed, and `Kernel panic - not syncing: panic_on_warn set ...` says
only that the kernel stopped for the report above it. die()'s `Kernel panic - not syncing: Fatal exception` ranks below
any report header, so it explains only when the oops' report is out of view.
"""

from __future__ import annotations

from gardener import regex as re

# A report's header line. (`WARNING:` alone is a warning level elsewhere: only the kernel's `WARNING: CPU: N PID: N at`
# and lockdep's / RCU's named checks are reports.)
_HEADER = re.lazy(
    r"^(?:BUG: \S|kernel BUG at \S|WARNING: CPU: \d+ PID: \d+ at \S"
    r"|WARNING: (?:possible (?:circular|recursive|irq lock)|suspicious RCU usage|inconsistent lock state"
    r"|bad unlock balance|lock held when returning)"
    r"|general protection fault\b|Oops: \S|Internal error: Oops\b|UBSAN: \S|KASAN: \S|KFENCE: \S|KMSAN: \S"
    r"|INFO: task \S+ blocked for more than \d+ seconds|INFO: rcu_\w+ (?:detected )?(?:stalls?|self-detected)"
    r"|Unable to handle kernel (?:NULL pointer dereference|paging request))"
)
# A call-trace frame (`dump_stack+0xf6/0x16e lib/dump_stack.c:118`, `[<00000000a8b4131f>] do_syscall_64+0x76/0x1a0`,
# `? show_regs+0x1f/0x30`), an inlined frame (`__dump_stack lib/dump_stack.c:77 [inline]`) or a register line.
_FRAME = re.lazy(
    r"^(?:\[<[0-9a-f]+>\]\s*)?(?:\? )?[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+(?:\s|$)"
    r"|^[\w.]+ \S+\.[chS]:\d+ \[inline\]$"
    r"|^(?:RIP|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R\d\d?|FS|GS|CS|CR\d|DR\d):\s+[0-9a-f]|^Code: [0-9a-f][0-9a-f] "
    # ARM's dump of the stack an exception was taken on (`Exception stack(0xef13bf30 to 0xef13bf78)`): a frame's
    # memory, read once the console's printk time is peeled (text.clean_line).
    r"|^Exception stack\(0x[0-9a-f]+ to 0x[0-9a-f]+\)"
)
# The kernel stopping for a report printed above it (kernel/panic.c, the hung-task and soft-lockup watchdogs), and the
# `---[ end Kernel panic ... ]---` trailer that closes any panic: it repeats the panic line above it (a mail's
# wrapping may cut it to `---[ end Kernel panic`; a console keeps its `[    8.046523] ` time).
_PANIC_AFTER_REPORT = re.lazy(
    r"^(?:---\[ end )?Kernel panic - not syncing: (?:panic_on_warn set|hung_task: blocked tasks"
    r"|softlockup: hung tasks|panic_on_oops)|^(?:\[ *\d+\.\d+\] )?---\[ end Kernel panic\b"
)
# die()'s panic on an oops (`Kernel panic - not syncing: Fatal exception`, `... in interrupt`): the kernel itself
# faulted. With the oops' report in view its header explains (a report's header ranks above any other named line);
# without it (a lab's mail quoting only the panic as `Job error: ...`, a reply keeping the trace's tail), this line
# names the native crash.
_FATAL_EXCEPTION_PANIC = re.lazy(r"Kernel panic - not syncing: Fatal exception\b")


# What every header starts with: most lines are dismissed without a regex call.
_STARTS = ("BUG: ", "kernel BUG at ", "WARNING: ", "general protection fault", "Oops: ", "Internal error: Oops",
           "UBSAN: ", "KASAN: ", "KFENCE: ", "KMSAN: ", "INFO: task ", "INFO: rcu_", "Unable to handle kernel ")


def is_kernel_report(text: str) -> bool:
    """True for a kernel report's header line (`BUG: memory leak`, `WARNING: CPU: 1 PID: 57 at ...`)."""
    stripped = text.strip()
    return stripped.startswith(_STARTS) and _HEADER.search(stripped) is not None


def is_kernel_frame(text: str) -> bool:
    """True for a line of a kernel report's call trace or register dump: where it passed, never what it was."""
    return _FRAME.search(text.strip()) is not None


def is_panic_after_report(text: str) -> bool:
    """True for the kernel's panic on a report printed above it (`Kernel panic - not syncing: panic_on_warn set`)."""
    return _PANIC_AFTER_REPORT.search(text.strip()) is not None


# What a header's kind names (the labelling guide: a fault in the kernel is a native crash; a WARN or lockdep splat
# is a run-time check firing in the code; a task hung or a stalled CPU is a hang). The sanitizers' reports (`BUG:
# KASAN: ...`, `BUG: memory leak`, `UBSAN: ...`) are named by line_category's table, as the user-space ones are.
_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("segfault-crash", re.lazy(
        r"^(?:BUG: (?:unable to handle|kernel NULL pointer)|kernel BUG at |general protection fault|Oops: "
        r"|Internal error: Oops|Unable to handle kernel )")),
    ("timeout-hang", re.lazy(
        r"^(?:INFO: task \S+ blocked for more than|INFO: rcu_|BUG: soft lockup|BUG: workqueue lockup)")),
    ("runtime-exception", re.lazy(r"^(?:WARNING: |BUG: (?:sleeping function|scheduling while atomic|spinlock))")),
)


def name_kernel_panic(text: str) -> tuple[str, str] | None:
    """segfault-crash and its words for die()'s panic on an oops (`Kernel panic - not syncing: Fatal exception`),
    wherever the line quotes it; None for any other panic (`VFS: Unable to mount root fs` is no crash) (pure)."""
    if "Kernel panic" not in text or (found := _FATAL_EXCEPTION_PANIC.search(text)) is None:
        return None
    return "segfault-crash", found.group(0)


def name_kernel_report(text: str) -> tuple[str, str] | None:
    """The category a kernel report's header names, and the words that name it, or None (pure)."""
    stripped = text.strip()
    if not is_kernel_report(stripped):
        return None
    for category, pattern in _NAMES:
        if (found := pattern.search(stripped)) is not None:
            return category, found.group(0).strip(" :")
    return None
