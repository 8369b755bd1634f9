
import pytest

from gardener.sources.safezip import UnsafeArchive, extract
from tests.sources import hostile


@pytest.mark.parametrize(("make", "reason"), [
    (hostile.zip_slip, "climbs out of the archive"),
    (hostile.absolute, "absolute path"),
    (hostile.symlink, "symbolic link"),
    (hostile.ratio_bomb, "compression ratio over 100"),
    (hostile.member_bomb, "more than the limit of 10000"),
    (hostile.not_a_zip, "not a zip archive"),
])
def test_hostile_archives_are_refused_before_anything_is_written(tmp_path, make, reason):
    archive = make(tmp_path / "a.zip")
    dest = tmp_path / "out"
    with pytest.raises(UnsafeArchive, match=reason) as info:
        extract(archive, dest)
    assert "\n" not in str(info.value)
    assert not dest.exists()  # removed whole, nothing half-written
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_good_archive_is_extracted_inside_the_folder(tmp_path):
    done = extract(hostile.good(tmp_path / "g.zip"), tmp_path / "out")
    assert [p.relative_to(tmp_path / "out").as_posix() for p in done.files] == ["junit/results.xml"]
    assert done.total_bytes == len(hostile.JUNIT)
    assert (tmp_path / "out" / "junit" / "results.xml").read_text() == hostile.JUNIT


def test_an_entry_that_inflates_past_its_declared_size_is_stopped(tmp_path, monkeypatch):
    """The central directory can lie: the limit is enforced again while streaming."""
    import zipfile

    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", "x" * 100_000)
    # Shrink the declared size in the central directory only.
    data = bytearray(archive.read_bytes())
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(UnsafeArchive):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_more_than_a_gibibyte_declared_is_refused_from_the_central_directory(tmp_path):
    import struct
    import zipfile

    archive = tmp_path / "huge.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.txt", "a")
        z.writestr("b.txt", "b")
    data = bytearray(archive.read_bytes())
    start = 0
    while (cd := data.find(b"PK\x01\x02", start)) >= 0:  # each entry claims 600 MiB, stored (ratio 1)
        data[cd + 20:cd + 28] = struct.pack("<II", 600 * 1024**2, 600 * 1024**2)
        start = cd + 4
    archive.write_bytes(bytes(data))
    with pytest.raises(UnsafeArchive, match="more than 1024 MiB uncompressed"):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # refused from the directory's sizes, nothing inflated
