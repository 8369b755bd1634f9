"""Nextflow's failed-process block read as one incident explained by the command's own error line."""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.ingest import runner_log
from gardener.whole_excerpt import ingest_for_classify

BLOCK = """\
Error executing process > 'ALIGN:BWA_MEM (sample1)'

Caused by:
  Process `ALIGN:BWA_MEM (sample1)` terminated with an error exit status (1)

Command executed:

  bwa mem -t 2 ref.fa reads_1.fq.gz reads_2.fq.gz | samtools sort -o sample1.bam -

Command exit status:
  1

Command output:
  (empty)

Command error:
  WARNING: Skipping mount /etc/resolv.conf [files]: /etc/resolv.conf doesn't exist in container
  [M::bwa_idx_load_from_disk] read 0 ALT contigs
  [E::main_mem] fail to open file `reads_1.fq.gz'.
  samtools sort: failed to read header from "-"

Work dir:
  /work/c7/14b6179bcf2981a10c4ccf6bba373f

Tip: view the complete command output by changing to the process work dir and entering the command `cat .command.out`
"""


def test_a_failed_process_is_one_incident_on_its_command_s_first_error_line(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    # Printed live and again when the run ends: one incident.
    log.write_text("executor >  local (2)\n" + BLOCK + "\n-[nf-core/x] Pipeline completed with errors-\n" + BLOCK)
    failing = [r for r in runner_log.parse(log).results if r.is_failing]
    assert len(failing) == 1
    (process,) = failing
    assert not process.is_test and process.source_line == 20
    assert process.message == "[E::main_mem] fail to open file `reads_1.fq.gz'."
    assert "terminated with an error exit status (1)" in process.details and "bwa mem" not in process.details
    config = Config()
    first = find(ingest_for_classify([str(log)], config.rules).results, config)[0]
    assert (first.category, first.priority) == ("runtime-exception", "P2")
    assert "ALIGN:BWA_MEM (sample1)" in first.title


def test_without_error_output_the_cause_line_explains_it(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    text = BLOCK.split("Command error:")[0] + "Work dir:\n  /work/c7/14b6\n"
    log.write_text(text)
    (process,) = [r for r in runner_log.parse(log).results if r.is_failing]
    assert process.source_line == 4 and process.message.startswith("Process `ALIGN:BWA_MEM (sample1)` terminated")


def test_the_prefiltered_read_is_the_every_line_read(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    log.write_text("".join(f"2026-12-01T10:00:{i % 60:02d}.0000000Z {line}\n"
                           for i, line in enumerate(("noise line",) * 300 + tuple(BLOCK.splitlines()))))
    assert runner_log.parse(log, chunk_bytes=512) == runner_log.parse_every_line(log)
