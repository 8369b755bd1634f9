from pathlib import Path

import pytest

from gardener.config import load_config
from gardener.errors import ConfigError
from gardener.sources.cache import cache_root


def config(tmp_path: Path, body: str):
    path = tmp_path / "gardener.toml"
    path.write_text(body)
    return load_config(path)


def test_sources_section_sets_cache_globs_and_cap(tmp_path):
    cfg = config(tmp_path, '[gardener.sources]\ncache_dir = "c"\nartifacts = ["*junit*"]\nmax_log_mib = 64\n')
    assert cfg.sources.cache_dir == tmp_path / "c"
    assert cfg.sources.artifacts == ("*junit*",) and cfg.sources.max_log_bytes == 64 * 1024 * 1024
    assert config(tmp_path, "[gardener]\n").sources.artifacts == ("*test*", "*junit*", "*report*", "*results*")


@pytest.mark.parametrize(("body", "key"), [
    ('[gardener.sources]\nmax_log_mib = 0\n', "sources.max_log_mib"),
    ('[gardener.sources]\nartifacts = "x"\n', "sources.artifacts"),
    ('[gardener.sources]\ncache = "x"\n', "sources.cache"),
])
def test_bad_values_name_the_file_and_key(tmp_path, body, key):
    with pytest.raises(ConfigError) as info:
        config(tmp_path, body)
    assert f"{tmp_path / 'gardener.toml'}: {key}:" in str(info.value)


def test_the_cache_root_prefers_the_environment_then_config_then_xdg(tmp_path):
    assert cache_root(tmp_path / "cfg", {"GARDENER_CACHE": str(tmp_path / "env")}) == tmp_path / "env"
    assert cache_root(tmp_path / "cfg", {}) == tmp_path / "cfg"
    assert cache_root(None, {"XDG_CACHE_HOME": str(tmp_path / "x")}) == tmp_path / "x" / "gardener"
    assert cache_root(None, {}) == Path.home() / ".cache" / "gardener"
