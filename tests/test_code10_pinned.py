"""Defects rules-code (session 10) found in the open sets and did not fix, pinned as strict xfails so a fix shows
(one since fixed by another change, kept as its test).

Excerpts are written in the shape of the open items named beside them, with names and paths changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.rules.excerpt_first import first_finding_of

# corpus16's hardhat/Move item: another tool's `Error: Failed to build one or more Move packages` (its own packages, a
# compile failure) matches deps.pip-build's case-insensitive `ERROR: Failed to build (...)`, which pip prints in
# capitals only.
MOVE_BUILD = """npx hardhat compile
Building 3 Move packages...
Successfully built /home/ci/acme/contracts/Cart
Failed to build /home/ci/acme/contracts/Ledger
Error: exiting with Yul generation errors
Successfully built /home/ci/acme/contracts/Token
An unexpected error occurred:

Error: Failed to build one or more Move packages
"""

# corpus19's 0-day item: the report's blame listing of the failing file quotes a string that says `core dumped`, and
# crash.native reads the quote as a native crash over clang's error above it.
QUOTED_CRASH_WORDS = """All errors (new ones prefixed by >>):

>> fs/acme_flat.c:118:36: error: incomplete definition of type 'struct dump_params'
                   current->comm, current->pid, cprm->info->si_signo);
                                                ~~~~^
   include/linux/acme.h:11:8: note: forward declaration of 'struct dump_params'
   struct dump_params;
          ^
   1 error generated.


vim +118 fs/acme_flat.c

4adbb6ac4b807e Ada Lovelace    2016-07-24  117  \tpr_warn("Process %s:%d got signal %d and should have core dumped\\n",
13c3f50c914e6a Ada Lovelace    2016-07-24 @118  \t\tcurrent->comm, current->pid, cprm->info->si_signo);
13c3f50c914e6a Ada Lovelace    2016-07-24  119  \treturn 1;
"""


@pytest.mark.xfail(strict=True, reason="deps.pip-build's `(?i)ERROR: Failed to build` takes another tool's "
                                       "`Error: Failed to build ...` for pip's (rules-code, session 10)")
def test_another_tools_failed_build_is_not_pips(tmp_path: Path) -> None:
    assert first_finding_of(MOVE_BUILD, Config(), tmp_path).rule_id != "deps.pip-build"


# was a defect (rules-code): crash.native read `core dumped` inside a quoted source line of a report's source listing
# as a crash; fixed by longlogs-10's quoted-source mechanism (anchors.match_anchor: quoted source is never an anchor).
def test_crash_words_quoted_in_a_source_line_are_no_crash(tmp_path: Path) -> None:
    assert first_finding_of(QUOTED_CRASH_WORDS, Config(), tmp_path).category == "compile-error"
