"""The first finding of a GitHub Actions job log comes from its failing step (gardener/failing_step.py): what a step
the runner went on from printed is no evidence, unless the failing step fails on something missing that the earlier
step printed errors about and never closed with a success verdict.

Each log below is a cut of a real job log a project committed (`source` above it: lines kept verbatim, runs of
lines cut), ending where the job's post-job cleanup starts.
"""

from __future__ import annotations

from pathlib import Path

from gardener.failing_step import step_starts, without_passed_steps
from tests.corpus_scoring import first_finding

# https://github.com/gjoeckel/otter/blob/24bf01c8b87c49721dd31dae10c9da582c2dbccd/0_deploy.txt (corpus24 item 12): the
# deploy step's remote script shrugs off `chown ... Operation not permitted` and ends `Successfully executed`; the
# job fails two steps later on its health check.
OTTER_DEPLOY = [
    "2025-09-17T18:19:52.7346734Z err: chown: changing ownership of '/var/websites/webaim/htdocs/training/online/otter2"
    "/artifacts': Operation not permitted",
    "2025-09-17T18:19:52.8299502Z err: chmod: changing permissions of '/var/websites/webaim/htdocs/training/online/"
    "otter2': Operation not permitted",
    "2025-09-17T18:19:52.9206441Z err: chown: cannot access '/var/websites/webaim/htdocs/training/online/otter2/config'"
    ": No such file or directory",
    "2025-09-17T18:19:52.9526568Z out: Deployment completed to: /var/websites/webaim/htdocs/training/online/otter2",
    "2025-09-17T18:19:52.9535239Z ==============================================",
    "2025-09-17T18:19:52.9536259Z ✅ Successfully executed commands to all host.",
    "2025-09-17T18:19:52.9537016Z ==============================================",
    "2025-09-17T18:19:53.0325449Z ##[group]Run PUBLIC_BASE_URL=$(jq -r '.public_base_url' deploy-config.json)",
    "2025-09-17T18:19:53.0326551Z PUBLIC_BASE_URL=$(jq -r '.public_base_url' deploy-config.json)",
    "2025-09-17T18:19:53.0330417Z echo \"public_base_url=$PUBLIC_BASE_URL\" >> $GITHUB_OUTPUT",
    "2025-09-17T18:19:53.0367374Z shell: /usr/bin/bash -e {0}",
    "2025-09-17T18:19:53.0367713Z ##[endgroup]",
    "2025-09-17T18:19:53.0510539Z ##[group]Run URL=\"https://webaim.org/training/online/otter2/health_check.php\"",
    "2025-09-17T18:19:53.0511903Z URL=\"https://webaim.org/training/online/otter2/health_check.php\"",
    "2025-09-17T18:19:53.0513536Z CODE=$(curl -L -s -o /dev/null -w \"%{http_code}\" \"$URL\")",
    "2025-09-17T18:19:53.0515264Z   echo \"Health check failed: HTTP $CODE\"",
    "2025-09-17T18:19:53.0548363Z shell: /usr/bin/bash -e {0}",
    "2025-09-17T18:19:53.0548705Z ##[endgroup]",
    "2025-09-17T18:19:53.0614202Z Checking: https://webaim.org/training/online/otter2/health_check.php",
    "2025-09-17T18:19:53.3858267Z Health check failed: HTTP 404",
    "2025-09-17T18:19:53.3879858Z ##[error]Process completed with exit code 1.",
    "2025-09-17T18:19:53.3957171Z Post job cleanup.",
]

# https://github.com/thefaftek-git/CA_Scanner/blob/2dd6e717ba0ef89e78ca83fb0ac6f3407e292fc5/0_build-and-test.txt
# (corpus24 item 14): 187 xUnit tests pass (their names say `..._ReturnsError`), then the coverage-report action finds
# no report file.
CA_SCANNER = [
    "2025-06-06T18:50:48.0896939Z Option '--input' is required.",
    "2025-06-06T18:50:48.9769114Z   Passed ConditionalAccessExporter.Tests.ProgramTests.Terraform_Command_MissingInput_"
    "ReturnsError [1 ms]",
    "2025-06-06T18:50:49.3716652Z   Passed ConditionalAccessExporter.Tests.ProgramTests.Compare_Command_MissingRefer"
    "enceDir_ReturnsError [1 ms]",
    "2025-06-06T18:51:00.6284303Z Test Run Successful.",
    "2025-06-06T18:51:00.6284716Z Total tests: 187",
    "2025-06-06T18:51:00.6285019Z      Passed: 187",
    "2025-06-06T18:51:00.6605388Z Build succeeded.",
    "2025-06-06T18:51:00.6607344Z     0 Warning(s)",
    "2025-06-06T18:51:00.6607673Z     0 Error(s)",
    "2025-06-06T18:51:00.9033635Z ##[group]Run danielpalme/ReportGenerator-GitHub-Action@5.2.0",
    "2025-06-06T18:51:00.9033995Z with:",
    "2025-06-06T18:51:00.9034789Z   reports: **/coverage.opencover.xml",
    "2025-06-06T18:51:00.9037299Z ##[endgroup]",
    "2025-06-06T18:51:02.1975814Z Successfully installed ReportGenerator global tool",
    "2025-06-06T18:51:02.1976458Z Executing ReportGenerator",
    "2025-06-06T18:51:02.3435990Z 2025-06-06T18:51:02: The report file pattern '**/coverage.opencover.xml' found "
    "no matching files.",
    "2025-06-06T18:51:02.3436881Z 2025-06-06T18:51:02: No report files specified.",
    "2025-06-06T18:51:02.3539690Z ##[error]Failed to execute ReportGenerator global tool",
    "2025-06-06T18:51:02.3650412Z Post job cleanup.",
]

# https://github.com/snava10/nhs-crawler/blob/b15e3198d0d2a256bb2b4002265cce4e4e6d339d/1_build.txt (corpus26): flake8
# run with `--exit-zero` reports 198 findings and passes; pytest then collects nothing (exit 5).
NHS_CRAWLER = [
    "2021-09-28T03:48:22.6760857Z ./nhsWebScraper.py:58:2: E265 block comment should start with '# '",
    "2021-09-28T03:48:22.6761587Z ./nhsWebScraper.py:59:1: W191 indentation contains tabs",
    "2021-09-28T03:48:22.6763556Z ./nhsWebScraper.py:59:21: E231 missing whitespace after ','",
    "2021-09-28T03:48:22.6802871Z 14    F405 'es' may be undefined, or defined from star imports: webApi",
    "2021-09-28T03:48:22.6806787Z 198",
    "2021-09-28T03:48:22.6847489Z ##[group]Run pytest",
    "2021-09-28T03:48:22.6848008Z pytest",
    "2021-09-28T03:48:22.6891633Z shell: /usr/bin/bash -e {0}",
    "2021-09-28T03:48:22.6893789Z ##[endgroup]",
    "2021-09-28T03:48:22.8943466Z ============================= test session starts ==============================",
    "2021-09-28T03:48:22.8947180Z rootdir: /home/runner/work/nhs-crawler/nhs-crawler",
    "2021-09-28T03:48:22.8947735Z collected 0 items",
    "2021-09-28T03:48:22.8948006Z ",
    "2021-09-28T03:48:22.8948389Z ============================ no tests ran in 0.01s =============================",
    "2021-09-28T03:48:22.9131301Z ##[error]Process completed with exit code 5.",
    "2021-09-28T03:48:22.9217784Z Post job cleanup.",
]

# https://github.com/RealWhyKnot/VRCYTProxy/blob/bd3145709c4aa71266abfbe6603d33bb2d4be100/job-logs.txt (corpus8): the
# build script catches its own failure and exits 0; the next step fails on the `dist` it never made. The near-miss:
# the passed step is kept, its `BUILD FAILED:` line is the cause.
VRCYTPROXY = [
    "2026-01-19T07:36:09.2528370Z setup-miniconda ran successfully",
    "2026-01-19T07:36:09.2798261Z ##[group]Run .\\build.ps1 -Version v2026.01.19.7",
    "2026-01-19T07:36:09.2798659Z .\\build.ps1 -Version v2026.01.19.7",
    "2026-01-19T07:36:09.2870009Z shell: C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.EXE -command \". "
    "'{0}'\"",
    "2026-01-19T07:36:09.2871370Z ##[endgroup]",
    "2026-01-19T07:37:11.8997505Z Deno updated.",
    "2026-01-19T07:37:11.9006104Z [1/6] Setting up fresh Conda environment...",
    "2026-01-19T07:37:13.6701911Z BUILD FAILED: The term 'conda.exe' is not recognized as the name of a cmdlet, "
    "function, script file, or operable program. Check the spelling of the name, or if a path was included, verify "
    "that the path is correct and try again.",
    "2026-01-19T07:37:13.6716912Z Stack Trace: at <ScriptBlock>, D:\\a\\VRCYTProxy\\VRCYTProxy\\build.ps1: line 115",
    "2026-01-19T07:37:13.7733246Z Transcript stopped, output file is D:\\a\\VRCYTProxy\\VRCYTProxy\\build_log.ps1.txt",
    "2026-01-19T07:37:13.8094367Z ##[group]Run $ARCHIVE_NAME = \"VRCYTProxy-Windows.zip\"",
    "2026-01-19T07:37:13.8095242Z Compress-Archive -Path dist\\* -DestinationPath $ARCHIVE_NAME",
    "2026-01-19T07:37:13.8162552Z shell: C:\\Program Files\\PowerShell\\7\\pwsh.EXE -command \". '{0}'\"",
    "2026-01-19T07:37:13.8163404Z ##[endgroup]",
    "2026-01-19T07:37:17.6505854Z Compress-Archive: D:\\a\\_temp\\145cb315-357b-42c4-beda-fdb2c7382090.ps1:3",
    "2026-01-19T07:37:17.6507396Z    3 |  Compress-Archive -Path dist\\* -DestinationPath $ARCHIVE_NAME",
    "2026-01-19T07:37:17.6509860Z      | The path 'dist\\*' either does not exist or is not a valid file system path.",
    "2026-01-19T07:37:17.7087033Z ##[error]Process completed with exit code 1.",
    "2026-01-19T07:37:17.7293701Z Post job cleanup.",
]

# https://github.com/DeRusto/SkyLite-UX/blob/41ce196bb8e43348b685ede3089dc10db8c3eee4/0_build.txt: the nuxt build
# passes (its asset list names `error-500` and `error-404` pages), vue-tsc fails in the next step.
SKYLITE = [
    "2026-02-12T05:24:25.9125294Z ##[group]Run npm run build",
    "2026-02-12T05:24:25.9125568Z npm run build",
    "2026-02-12T05:24:25.9157772Z shell: /usr/bin/bash -e {0}",
    "2026-02-12T05:24:25.9158011Z ##[endgroup]",
    "2026-02-12T05:24:31.7048441Z [warn] Browserslist: browsers data (caniuse-lite) is 8 months old. Please run:",
    "2026-02-12T05:24:42.0338273Z [info] ../.nuxt/dist/client/_nuxt/error-500.CHLIJhcO.css    1.91 kB │ gzip:   "
    "0.73 kB",
    "2026-02-12T05:25:17.1258129Z [success] [nitro] You can preview this build using `node .output/server/index.mjs`",
    "2026-02-12T05:25:17.3406520Z ##[group]Run npm run type-check",
    "2026-02-12T05:25:17.3406877Z npm run type-check",
    "2026-02-12T05:25:17.3439901Z shell: /usr/bin/bash -e {0}",
    "2026-02-12T05:25:17.3440149Z ##[endgroup]",
    "2026-02-12T05:25:17.4560473Z > vue-tsc --noEmit -p tsconfig.json --composite false",
    "2026-02-12T05:25:38.1167507Z ##[error]app/components/settings/settingsScreensaver.vue(63,53): error TS18047: "
    "'settings.value' is possibly 'null'.",
    "2026-02-12T05:25:38.2955372Z ##[error]Process completed with exit code 2.",
    "2026-02-12T05:25:38.3059683Z Post job cleanup.",
]


# A step's own script titles its groups `Run ...` (`echo "::group::Run tests"` before `ctest`, `::group::Run $suite` in
# a benchmark loop, `::group::Run unit tests with IO` in a test script: shell scripts found by code search). In the
# raw log such a group reads `##[group]Run <title>` like the runner's step header, but holds the script's output where
# the runner's header holds the step's definition (its command, `shell:`, `with:`, `env:`). Here the deploy script
# fails (Helm's own message), goes on to its coverage group and exits 1: its failure is in the failing step.
SCRIPT_GROUPS = [
    "2025-03-04T10:00:00.0000000Z ##[group]Run actions/checkout@v4",
    "2025-03-04T10:00:00.0000000Z with:",
    "2025-03-04T10:00:00.0000000Z   repository: acme/widget",
    "2025-03-04T10:00:00.0000000Z ##[endgroup]",
    "2025-03-04T10:00:01.0000000Z ##[group]Run ./ci/deploy-and-check.sh",
    "2025-03-04T10:00:01.0000000Z ./ci/deploy-and-check.sh",
    "2025-03-04T10:00:01.0000000Z shell: /usr/bin/bash -e {0}",
    "2025-03-04T10:00:01.0000000Z ##[endgroup]",
    "2025-03-04T10:00:02.0000000Z ##[group]Run helm upgrade",
    "2025-03-04T10:00:03.0000000Z + helm upgrade --install widget ./chart --wait --timeout 5m",
    "2025-03-04T10:05:03.0000000Z Error: UPGRADE FAILED: timed out waiting for the condition",
    "2025-03-04T10:05:03.0000000Z ##[endgroup]",
    "2025-03-04T10:05:03.0000000Z ##[group]Run coverage report",
    "2025-03-04T10:05:04.0000000Z Name                 Stmts   Miss  Cover",
    "2025-03-04T10:05:04.0000000Z widget/parse.py         40      2    95%",
    "2025-03-04T10:05:04.0000000Z TOTAL                   40      2    95%",
    "2025-03-04T10:05:04.0000000Z ##[endgroup]",
    "2025-03-04T10:05:04.0000000Z ##[error]Process completed with exit code 1.",
    "2025-03-04T10:05:04.0000000Z Post job cleanup.",
]


def _line_of(lines: list[str], needle: str) -> int:
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_a_step_that_closed_with_a_success_verdict_is_no_evidence(tmp_path: Path) -> None:
    category, line = first_finding(tmp_path, OTTER_DEPLOY)
    assert (category, line) == ("unclassified", _line_of(OTTER_DEPLOY, "Health check failed: HTTP 404"))


def test_passing_tests_named_for_errors_are_no_evidence(tmp_path: Path) -> None:
    category, line = first_finding(tmp_path, CA_SCANNER)
    assert category == "unclassified"
    assert line == _line_of(CA_SCANNER, "Failed to execute ReportGenerator")


def test_a_linter_run_with_exit_zero_is_no_evidence(tmp_path: Path) -> None:
    _, line = first_finding(tmp_path, NHS_CRAWLER)
    assert line is not None and line > _line_of(NHS_CRAWLER, "##[group]Run pytest")


def test_a_step_that_swallowed_its_failure_is_kept_for_what_it_left_missing(tmp_path: Path) -> None:
    category, line = first_finding(tmp_path, VRCYTPROXY)
    assert (category, line) == ("dependency-install-failure", _line_of(VRCYTPROXY, "BUILD FAILED:"))


def test_a_failing_step_that_names_its_cause_is_unchanged(tmp_path: Path) -> None:
    category, line = first_finding(tmp_path, SKYLITE)
    assert (category, line) == ("compile-error", _line_of(SKYLITE, "error TS18047"))


def test_the_failing_step_is_the_first_holding_an_error_marker() -> None:
    starts, failing = step_starts(OTTER_DEPLOY)
    assert [OTTER_DEPLOY[i].split("Z ", 1)[1][:20] for i in starts] == ["##[group]Run PUBLIC_", "##[group]Run URL=\"ht"]
    assert failing == starts[1]


def test_passed_steps_are_blanked_and_lines_keep_their_numbers() -> None:
    text = "\n".join(OTTER_DEPLOY)
    out = without_passed_steps(text).split("\n")
    assert len(out) == len(OTTER_DEPLOY)
    failing = _line_of(OTTER_DEPLOY, "##[group]Run URL=") - 1
    assert all(line == "" for line in out[:failing]) and out[failing:] == OTTER_DEPLOY[failing:]


def test_a_log_without_step_headers_or_error_marker_is_unchanged() -> None:
    pasted = [line.split("Z ", 1)[1] for line in OTTER_DEPLOY]
    no_header = [line for line in pasted if "##[group]" not in line]
    assert without_passed_steps("\n".join(no_header)) == "\n".join(no_header)
    no_marker = [line for line in OTTER_DEPLOY if "##[error]" not in line]
    assert without_passed_steps("\n".join(no_marker)) == "\n".join(no_marker)


def test_a_scripts_own_run_group_is_not_a_step(tmp_path: Path) -> None:
    category, line = first_finding(tmp_path, SCRIPT_GROUPS)
    assert (category, line) == ("timeout-hang", _line_of(SCRIPT_GROUPS, "Error: UPGRADE FAILED"))
    starts, failing = step_starts(SCRIPT_GROUPS)
    assert failing == starts[1] == _line_of(SCRIPT_GROUPS, "##[group]Run ./ci/deploy") - 1


def test_the_runners_step_headers_still_open_steps() -> None:
    # The near-misses: the runner's headers as real logs show them: a run step's (its command echoed, `shell:`;
    # OTTER_DEPLOY, NHS_CRAWLER), a cut one whose echo was cut (VRCYTPROXY's `Run $ARCHIVE_NAME`), an action's
    # (`with:`; CA_SCANNER), and an action's with no inputs (the header closed at once).
    for log in (OTTER_DEPLOY, NHS_CRAWLER, VRCYTPROXY, CA_SCANNER):
        starts, _ = step_starts(log)
        assert starts == [i for i, line in enumerate(log) if "##[group]Run " in line]
    bare = ["##[group]Run dtolnay/rust-toolchain@stable", "##[endgroup]", "error: toolchain 'x' is not installed",
            "##[error]Process completed with exit code 1."]
    assert step_starts(bare) == ([0], 0)
