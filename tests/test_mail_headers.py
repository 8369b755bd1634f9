"""A report delivered by mail is read without its header block (gardener/mail_headers.py), and a line that says what
failed before the exit status it ended with is rated by what it says (locator._CARRIES_CAUSE).

Sources are cited above each text: header and body lines kept verbatim, runs of lines cut.
"""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log.locator import rank
from gardener.mail_headers import header_lines, without_mail_headers
from tests.corpus_scoring import first_finding

# https://github.com/linux-mailinglist-archives/linux-ext4.vger.kernel.org.0 (corpus24 item 15): syzbot could not
# fetch the tree to test a patch. Gmail's `Received: by ... with SMTP id` header is no Jest `Received:` value.
SYZBOT_FETCH = [
    "Return-Path: <linux-ext4-owner@vger.kernel.org>",
    "Received: (majordomo@vger.kernel.org) by vger.kernel.org via listexpand",
    "        id S1731711AbgLJDvS (ORCPT <rfc822;lists+linux-ext4@lfdr.de>);",
    "        Wed, 9 Dec 2020 22:51:18 -0500",
    "Received: by mail-il1-f199.google.com with SMTP id h4so3231468ilq.19",
    "        for <linux-ext4@vger.kernel.org>; Wed, 09 Dec 2020 19:50:28 -0800 (PST)",
    "X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
    "        d=1e100.net; s=20161025;",
    "MIME-Version: 1.0",
    "Date:   Wed, 09 Dec 2020 19:50:03 -0800",
    "In-Reply-To: <20201210023638.GP52960@mit.edu>",
    "Message-ID: <00000000000024030c05b61412e6@google.com>",
    "Subject: Re: UBSAN: shift-out-of-bounds in ext4_fill_super",
    "From:   syzbot <syzbot+345b75652b1d24227443@syzkaller.appspotmail.com>",
    "To:     adilger.kernel@dilger.ca, clang-built-linux@googlegroups.com,",
    "        linux-ext4@vger.kernel.org, linux-kernel@vger.kernel.org,",
    "Content-Type: text/plain; charset=\"UTF-8\"",
    "X-Mailing-List: linux-ext4@vger.kernel.org",
    "",
    "Hello,",
    "",
    "syzbot tried to test the proposed patch but the build/boot failed:",
    "",
    "failed to checkout kernel repo git://git.kernel.org/pub/scm/linux/kernel/git/tytso/ext4.git on commit "
    "e360ba58d067a30a4e3e7d55ebdd919885a058d6: failed to run [\"git\" \"fetch\" \"--tags\" "
    "\"d06f7b29746c7f0a52f349ff7fbf2a3f22d27cf8\"]: exit status 1",
    "From git://git.kernel.org/pub/scm/linux/kernel/git/tytso/ext4",
    " * [new branch]                dev                      -> d06f7b29746c7f0a52f349ff7fbf2a3f22d27cf8/dev",
    " * [new tag]                   ext4-for-linus-5.8-rc1-2 -> ext4-for-linus-5.8-rc1-2",
    " ! [rejected]                  ext4_for_linus           -> ext4_for_linus  (would clobber existing tag)",
    "",
]

# https://github.com/linux-mailinglist-archives (linux-watchdog, Jan 2026: Guenter Roeck's reply `Re: [syzbot] Kernel
# panic in pcipcwd_get_status due to simulated overheat`): fields without a space after the colon (`ARC-Seal:i=1;`).
WATCHDOG_HEADERS = [
    "Return-Path: <linux-watchdog+bounces-4774-lists+linux-watchdog=lfdr.de@vger.kernel.org>",
    "Received: from tor.lore.kernel.org (tor.lore.kernel.org [172.105.105.114])",
    "\tby mail.lfdr.de (Postfix) with ESMTPS id E3416D0475A",
    "ARC-Seal:i=1; a=rsa-sha256; d=subspace.kernel.org; s=arc-20240116;",
    "\tt=1767889136; cv=none;",
    "Received: by mail-dl1-f47.google.com with SMTP id a92af1059eb24-121a0bcd376so1051184c88.0",
    "        for <linux-watchdog@vger.kernel.org>; Thu, 08 Jan 2026 08:18:53 -0800 (PST)",
    "Date: Thu, 8 Jan 2026 08:18:49 -0800",
    "From: Guenter Roeck <linux@roeck-us.net>",
    "Subject: Re: [syzbot] Kernel panic in pcipcwd_get_status due to simulated",
    " overheat",
    "Message-ID: <4be6759d-091f-428c-a514-fec465cf053e@roeck-us.net>",
    "",
    "On Thu, Jan 08, 2026 at 10:50:35AM +0800, 王志 wrote:",
    "> Kernel panic - not syncing: pcwd_pci: Temperature overheat trip!",
]


def test_a_mailed_reports_header_is_no_evidence(tmp_path: Path) -> None:
    _, line = first_finding(tmp_path, SYZBOT_FETCH)
    assert line == next(n for n, text in enumerate(SYZBOT_FETCH, 1) if text.startswith("failed to checkout"))


def test_the_header_block_ends_at_the_first_blank_line() -> None:
    assert header_lines(SYZBOT_FETCH) == SYZBOT_FETCH.index("") + 1
    assert header_lines(WATCHDOG_HEADERS) == WATCHDOG_HEADERS.index("") + 1
    out = without_mail_headers("\n".join(WATCHDOG_HEADERS)).split("\n")
    assert len(out) == len(WATCHDOG_HEADERS) and not any(out[: WATCHDOG_HEADERS.index("")])
    assert out[-1] == WATCHDOG_HEADERS[-1]


def test_a_log_opening_with_fields_is_no_mail() -> None:
    # Near-miss: a Jenkins console and an HTTP response open with `Name: value` lines but are not delivered messages.
    jenkins = ["Started by: timer", "Date: Thu, 8 Jan 2026 08:18:49 -0800", "Building in workspace /var/lib/x", ""]
    http = ["HTTP/1.1 500 Internal Server Error", "Date: Thu, 8 Jan 2026", "Server: nginx", ""]
    fields = ["Date: Thu, 8 Jan 2026", "From: ci@example.org", "Subject: build 12 failed", "", "error: x"]
    assert header_lines(jenkins) == 0 and header_lines(http) == 0
    assert header_lines(fields) == 0  # no Message-ID or Received: not a delivered message's header


def test_a_cause_before_its_exit_status_is_rated() -> None:
    # syzbot's fetch above: the checkout that failed, then the exit status of the git command it ran.
    assert rank(SYZBOT_FETCH[23]) > 0
    # Near-misses: a wrapper alone, and a wrapper whose rest is too short to say anything.
    assert rank("Process completed with exit code 1.") == 0
    assert rank("error: exit status 1") == 0
    assert rank("npm ERR! code ELIFECYCLE; exit code 1") == 0


# A message saved from an archive opens with the mbox envelope line (RFC 4155's `From_` line) before its header:
# lore.kernel.org's raw message and `t.mbox.gz` (public-inbox writes mboxrd: `From mboxrd@z Thu Jan  1 00:00:00 1970`
# over `Return-Path:`, `Received:`... as a tinylab.org article quotes a lore download), and b4's saved mbox (its test:
# `From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Me <me@foo.bar>`).
LORE_ENVELOPE = "From mboxrd@z Thu Jan  1 00:00:00 1970"


def test_a_saved_mboxs_envelope_line_opens_the_header(tmp_path: Path) -> None:
    saved = [LORE_ENVELOPE, *SYZBOT_FETCH]
    assert header_lines(saved) == saved.index("") + 1
    _, line = first_finding(tmp_path, saved)
    assert line == next(n for n, text in enumerate(saved, 1) if text.startswith("failed to checkout"))


def test_a_git_fetch_from_line_is_no_envelope() -> None:
    # Near-miss: git fetch's own `From <remote>` line (syzbot's report above prints one) opening a log.
    fetched = SYZBOT_FETCH[-5:]
    assert fetched[0].startswith("From git://")
    assert header_lines(fetched) == 0
