"""RSpec's console output read as test results (runner_log/rspec.py), and classified by what it says."""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.ingest import runner_log
from gardener.whole_excerpt import ingest_for_classify

# The shape of `rspec --format progress` (rspec-core 3.x): pending list, failures, summary, re-run commands.
RUN = """\
$ bundle exec rspec
..F..*..F
Pending: (Failures listed here are expected and do not affect your suite's status)

  1) Cart gift cards redeems a partial card
     # Not yet implemented
     # ./spec/models/gift_card_spec.rb:18

Failures:

  1) Cart#total with a discount code applies the discount once
     Failure/Error: expect(cart.total).to eq(90)

       expected: 90
            got: 81

       (compared using ==)
     # ./spec/models/cart_spec.rb:42:in `block (3 levels) in <top (required)>'
     # ./spec/support/vcr.rb:12:in `block (2 levels) in <top (required)>'

  2) Orders API GET /orders lists the user's orders
     Failure/Error: get "/orders", headers: auth_headers

     NoMethodError:
       undefined method `email' for nil
     # ./app/controllers/orders_controller.rb:7:in `index'
     # ./spec/requests/orders_spec.rb:11:in `block (3 levels) in <top (required)>'

Finished in 2.31 seconds (files took 1.02 seconds to load)
9 examples, 2 failures, 1 pending

Failed examples:

rspec ./spec/models/cart_spec.rb:38 # Cart#total with a discount code applies the discount once
rspec ./spec/requests/orders_spec.rb:9 # Orders API GET /orders lists the user's orders

Randomized with seed 1234
The command "bundle exec rspec" exited with 1.
"""

LOAD_ERROR = """\
Run bundle exec rspec
An error occurred while loading ./spec/models/user_spec.rb. - Did you mean?
                    rspec ./spec/models/users_spec.rb

Failure/Error: require "rails_helper"

LoadError:
  Error loading the 'pg' Active Record adapter. Missing a gem it depends on? pg is not part of the bundle.
# ./vendor/bundle/ruby/3.3.0/gems/activerecord-7.1.3/lib/active_record/connection_adapters.rb:44:in `resolve'
# ./spec/rails_helper.rb:6:in `<top (required)>'
# ./spec/models/user_spec.rb:1:in `<top (required)>'
No examples found.


Finished in 0.00006 seconds (files took 2.1 seconds to load)
0 examples, 0 failures, 1 error occurred outside of examples
Error: Process completed with exit code 1.
"""


def _tests(tmp_path: Path, text: str) -> dict[str, object]:
    log = tmp_path / "job.log"
    log.write_text(text)
    return {r.id: r for r in runner_log.parse(log).results if r.is_test}


def _first(tmp_path: Path, text: str) -> tuple[str, str, str]:
    log = tmp_path / "job.log"
    log.write_text(text)
    config = Config()
    first = find(ingest_for_classify([str(log)], config.rules).results, config)[0]
    return first.category, first.priority, first.title


def test_each_failing_example_is_a_result_named_by_its_file_and_description(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RUN)
    parsed = runner_log.parse(log)
    tests = {r.id: r for r in parsed.results if r.is_test}
    assert set(tests) == {"spec/models/cart_spec.rb::Cart#total with a discount code applies the discount once",
                          "spec/requests/orders_spec.rb::Orders API GET /orders lists the user's orders"}
    cart = tests["spec/models/cart_spec.rb::Cart#total with a discount code applies the discount once"]
    assert cart.outcome == "failed" and cart.source_line == 12  # the Failure/Error line
    assert cart.message.startswith("expected: 90\ngot: 81")
    assert (cart.file, cart.line) == ("spec/models/cart_spec.rb", 42)
    orders = tests["spec/requests/orders_spec.rb::Orders API GET /orders lists the user's orders"]
    assert orders.error_type == "NoMethodError" and orders.message.startswith("NoMethodError: undefined method")
    assert orders.source_line == 24  # the exception it raised, not the `Failure/Error:` line of the code that raised
    # The pending example is no result, and no incident repeats an example's report (nor the wrapper after it).
    assert not [r for r in parsed.results if "gift" in r.id.lower() or "gift" in r.message.lower()]
    assert not [r for r in parsed.results if not r.is_test and r.is_failing]


def test_failures_are_classified_by_what_each_block_says(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RUN)
    config = Config()
    findings = find(ingest_for_classify([str(log)], config.rules).results, config)
    assert {f.category for f in findings} == {"assertion-failure", "runtime-exception"}


def test_a_spec_file_that_cannot_load_is_a_p0_collection_error_when_nothing_ran(tmp_path: Path) -> None:
    tests = _tests(tmp_path, LOAD_ERROR)
    (user,) = tests.values()
    assert user.id == "spec/models/user_spec.rb" and user.outcome == "error"
    # the exception's message (what cannot be loaded), neither its bare `LoadError:` line nor the suggestions
    assert user.error_type == "LoadError" and user.source_line == 8
    assert "pg is not part of the bundle" in user.message and "Did you mean" not in user.message
    category, priority, title = _first(tmp_path, LOAD_ERROR)
    assert (category, priority) == ("import-collection-error", "P0")
    assert "spec/models/user_spec.rb" in title and "pg" in title


def test_a_log_cut_inside_the_failures_list_still_names_its_examples(tmp_path: Path) -> None:
    cut = RUN[RUN.index("  2) Orders API") :]
    tests = _tests(tmp_path, "build output\n" + cut)
    assert list(tests) == ["spec/requests/orders_spec.rb::Orders API GET /orders lists the user's orders"]


def test_many_failing_examples_of_few_run_raise_the_priority(tmp_path: Path) -> None:
    # Six of eight examples fail on assertions: at least 5 and at least half (priority_evidence.py).
    blocks = "".join(f"  {n}) Widget case {n} renders\n     Failure/Error: expect(w.render).to eq('ok')\n\n"
                     f"       expected: \"ok\"\n            got: \"ko\"\n"
                     f"     # ./spec/widget_spec.rb:{n}:in `block'\n\n" for n in range(1, 7))
    text = f"Failures:\n\n{blocks}Finished in 1 second\n8 examples, 6 failures\n"
    assert _first(tmp_path, text)[:2] == ("assertion-failure", "P1")


def test_numbered_lists_elsewhere_are_not_examples(tmp_path: Path) -> None:
    text = "Steps:\n  1) install the gems\n  2) run the migrations\nmake: *** [all] Error 2\n"
    assert not _tests(tmp_path, text)


def test_the_prefiltered_read_is_the_every_line_read(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    for sample in (RUN, LOAD_ERROR):
        log.write_text("".join(f"2026-12-01T10:00:{i % 60:02d}.0000000Z {line}\n"
                               for i, line in enumerate(("noise line",) * 300 + tuple(sample.splitlines()))))
        assert runner_log.parse(log, chunk_bytes=512) == runner_log.parse_every_line(log)


def test_a_failing_example_names_the_ci_step_it_was_read_in(tmp_path: Path) -> None:
    # Travis echoes `$ command` and judges it (`The command "..." exited with 1.`): a step the example sat in.
    log = tmp_path / "job.log"
    log.write_text("travis_fold:start:worker_info\nWorker information\ntravis_fold:end:worker_info\n" + RUN)
    tests = [r for r in runner_log.parse(log).results if r.is_test]
    assert tests and all(dict(r.properties).get("step") == "bundle exec rspec" for r in tests)
