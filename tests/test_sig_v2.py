"""sig-v2: redacted before masked, `File.java:71` is a location, volatile tokens masked within a run,
and the sig-v1 digest kept as an alias so issues filed under it still match (issue 12 item 5)."""

from __future__ import annotations

import random

from gardener.classify import find
from gardener.normalize import (
    CURRENT_VERSION,
    VOLATILE,
    VOLATILE_MIN_DISTINCT,
    keep_verbatim,
    mask,
    run_signatures,
    signature,
    volatile_masked,
    with_aliases,
)
from tests.factories import result


def test_the_current_version_is_sig_v2_and_sig_v1_stays_an_alias() -> None:
    key = "connection refused: db.internal:5432 after 3 retries"
    sig = with_aliases(run_signatures([key])[key], key)
    assert CURRENT_VERSION == sig.version == "sig-v2"
    assert signature(key, version="sig-v1").digest in sig.aliases


def test_a_file_and_line_is_not_a_host_and_port() -> None:
    assert mask("at com.example.Foo(Foo.java:71)") == "at com.example.Foo(Foo.java:<n>)"
    assert mask("src/main:1234 failed") == "src/main:<n> failed"
    assert mask("connect to localhost:8080 refused") == "connect to localhost:<port> refused"
    assert "<port>" in mask("at com.example.Foo(Foo.java:71)", version="sig-v1")  # the old reading, kept


def test_ephemeral_ports_of_one_host_are_one_finding_while_fixed_ports_name_their_service() -> None:
    rng = random.Random(12)
    ports = [rng.randint(1024, 40_000) for _ in range(10_000)]
    refusals = [
        result(f"tests/test_api.py::test_{i}", message=f"Error 111 connecting to api.internal:{ports[i % 10_000]}."
               " Connection refused.")
        for i in range(25_000)
    ]
    services = [
        result(f"tests/test_db.py::test_{i}", message=f"Error 111 connecting to localhost:{port}. Connection refused.")
        for i, port in enumerate((5432, 6379, 5432, 6379))
    ]
    findings = find([*refusals, *services])
    by_count = sorted((len(f.results), f.signature.text) for f in findings)
    assert [n for n, _ in by_count] == [2, 2, 25_000]
    assert VOLATILE in by_count[-1][1]
    assert any("5432" in text for _, text in by_count) and any("6379" in text for _, text in by_count)


def test_volatile_masking_needs_many_distinct_values_at_one_position() -> None:
    few = [f"build/main.{stem}.js missing" for stem in ("a1b2c3", "d4e5f6")]
    assert volatile_masked(few) == {t: t for t in few}
    many = [f"build/main.{i:04x}ab{i}.js missing" for i in range(VOLATILE_MIN_DISTINCT)]
    assert set(volatile_masked(many).values()) == {f"build/main.{VOLATILE}.js missing"}
    # Two positions vary together: both are masked, the fixed text around them stays.
    both = [f"/w/tmp{i}k{i}q{i}/{i * 7:03x}a.log locked" for i in range(VOLATILE_MIN_DISTINCT + 2)]
    assert set(volatile_masked(both).values()) == {f"/w/{VOLATILE}/{VOLATILE}.log locked"}


def test_names_that_hold_a_digit_are_never_volatile() -> None:
    names = [f"No module named '{m}'" for m in ("boto3", "oauth2client", "h5py", "s3fs", "jinja2", "pkg10", "py4j")]
    assert volatile_masked(names) == {t: t for t in names}


def test_a_volatile_key_keeps_its_unmasked_digest_as_an_alias() -> None:
    keys = [f"refused: api:{keep_verbatim(str(p))}" for p in range(3_000, 3_000 + VOLATILE_MIN_DISTINCT)]
    sigs = run_signatures(keys)
    assert len({s.digest for s in sigs.values()}) == 1
    alone = run_signatures(keys[:1])[keys[0]]
    # An issue filed when this port was alone in its run still matches.
    assert alone.digest in with_aliases(sigs[keys[0]], keys[0]).aliases
