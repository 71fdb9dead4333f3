"""Config: priority, friendly errors, the comment-preserving atomic writer."""

from __future__ import annotations

import os

import pytest

from fdash.core import paths
from fdash.core.config import ConfigError, GroupRule, load_config, set_value, update
from fdash.core.grouping import Grouper, parent_name

COMMENTED = """\
# my fdash settings
[display]
dark_mode = true   # easier on the eyes
heatmap_weeks = 12
my_own_key = "kept"

# prices I negotiated
[pricing.models."claude-opus-4-5-20251101"]
input_per_million = 4.0   # discount
output_per_million = 20.0

[paths]
sessions_dir = "~/.factory/sessions"
"""


def test_defaults_when_no_file():
    loaded = load_config()
    assert loaded.path is None
    assert loaded.config.display.default_tab == "overview"
    assert loaded.write_path == paths.default_config_path()


def test_priority_explicit_then_xdg_then_legacy(isolated_home, tmp_path):
    legacy = isolated_home / ".factory-dashboard.toml"
    legacy.write_text("[display]\nheatmap_weeks = 3\n")
    assert load_config().path == legacy
    xdg = paths.default_config_path()
    xdg.parent.mkdir(parents=True)
    xdg.write_text("[display]\nheatmap_weeks = 4\n")
    assert load_config().config.display.heatmap_weeks == 4
    explicit = tmp_path / "c.toml"
    explicit.write_text("[display]\nheatmap_weeks = 5\n")
    assert load_config(explicit).config.display.heatmap_weeks == 5


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize("text, key, expected", [
    ('[display]\ndark_mode = "yes"\n', "display.dark_mode", "true or false"),
    ("[display]\nheatmap_weeks = 500\n", "display.heatmap_weeks", "from 1 to 104"),
    ('[display]\ndefault_sort = "random"\n', "display.default_sort", "one of"),
    ("[pricing.models.x]\ninput_per_million = 1\n", "output_per_million", "missing"),
    ('[pricing.default]\ninput_per_million = "cheap"\noutput_per_million = 1\n', "pricing.default.input_per_million", "a number"),
    ("[[grouping.rules]]\npattern = 1\ngroup = 'a'\n", "grouping.rules[0].pattern", "a string"),
    ("display = 3\n", "display", "a table"),
    ("[display\n", "not valid TOML", ""),
])
def test_invalid_file_one_line_error_naming_file_and_key(tmp_path, text, key, expected):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message and key in message and expected in message


def test_unknown_keys_are_reported_not_fatal(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(COMMENTED)
    loaded = load_config(path)
    assert any("display.my_own_key" in w for w in loaded.warnings)
    assert loaded.config.pricing.models["claude-opus-4-5-20251101"].input_per_million == 4.0


def test_writer_changes_one_value_and_keeps_everything_else(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(COMMENTED)
    config = set_value(path, ("display", "dark_mode"), False)
    assert config.display.dark_mode is False
    assert path.read_text() == COMMENTED.replace("dark_mode = true", "dark_mode = false")


def test_writer_adds_a_model_and_removes_it_again(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(COMMENTED)
    update(path, [(("pricing", "models", "acme-coder-9", "input_per_million"), 1.5),
                  (("pricing", "models", "acme-coder-9", "output_per_million"), 6.0)])
    text = path.read_text()
    assert text.replace('[pricing.models.acme-coder-9]\ninput_per_million = 1.5\noutput_per_million = 6.0\n\n', "") == COMMENTED
    assert load_config(path).config.pricing.models["acme-coder-9"].output_per_million == 6.0
    set_value(path, ("pricing", "models", "acme-coder-9"), None)
    assert path.read_text().rstrip() == COMMENTED.rstrip()


def test_writer_creates_a_new_file(isolated_home):
    target = paths.default_config_path()
    set_value(target, ("display", "heatmap_weeks"), 30)
    assert load_config().config.display.heatmap_weeks == 30


def test_invalid_edit_is_refused_and_nothing_written(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(COMMENTED)
    before = os.stat(path)
    with pytest.raises(ConfigError, match="heatmap_weeks"):
        set_value(path, ("display", "heatmap_weeks"), 0)
    assert path.read_text() == COMMENTED and os.stat(path).st_ino == before.st_ino


def test_broken_file_is_never_overwritten(tmp_path):
    path = tmp_path / "c.toml"
    broken = "[display\ndark_mode = true # keep me\n"
    path.write_text(broken)
    with pytest.raises(ConfigError):
        set_value(path, ("display", "dark_mode"), False)
    assert path.read_text() == broken


def test_writer_keeps_file_mode(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(COMMENTED)
    path.chmod(0o600)
    set_value(path, ("display", "heatmap_weeks"), 8)
    assert (path.stat().st_mode & 0o777) == 0o600
    # no temp files left; the (empty) lock file writers take turns on stays
    assert sorted(p.name for p in tmp_path.iterdir()) == [".c.toml.lock", "c.toml"]


@pytest.mark.parametrize("project, group", [
    ("/home/ana/projects/eyproj/api", "eyproj"),
    ("C:\\Users\\auzy_\\copilot-smoke", "auzy_"),
    ("D:/GitHub/zirv/work repo", "zirv"),
    ("/api", "(none)"),
    ("(unknown)", "(none)"),
])
def test_default_group_is_parent_folder(project, group):
    assert parent_name(project) == group


def test_group_rules_first_match_wins():
    grouper = Grouper([GroupRule("/home/ana/work/*", "work"), GroupRule("/home/ana/*", "home"),
                       GroupRule("C:/Users/*", "windows")])
    assert grouper.group_of("/home/ana/work/api") == "work"
    assert grouper.group_of("/home/ana/projects/x") == "home"
    assert grouper.group_of("C:\\Users\\bo\\x") == "windows"
    assert grouper.group_of("/srv/a/b") == "a"


def test_readme_config_example_is_valid(tmp_path):
    from .conftest import REPO

    readme = (REPO / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "c.toml"
    path.write_text(example)
    loaded = load_config(path)
    assert loaded.warnings == ()
    assert loaded.config.budget.daily_usd == 20.0
    assert loaded.config.pricing.models["claude-opus-4-5-20251101"].cache_read_per_million == 0.5


def test_writer_keeps_crlf_and_refuses_a_concurrent_edit(tmp_path, monkeypatch):
    import fdash.core.config as config_module

    path = tmp_path / "c.toml"
    path.write_bytes(b"# mine\r\n[display]\r\ndark_mode = true\r\n")
    set_value(path, ("display", "dark_mode"), False)
    assert path.read_bytes() == b"# mine\r\n[display]\r\ndark_mode = false\r\n"

    real = config_module.parse_text

    def edit_meanwhile(text, source):  # the user saves in an editor while fdash validates
        if "after setting" in source:
            path.write_bytes(b"[display]\r\nheatmap_weeks = 9\r\n")
        return real(text, source)

    monkeypatch.setattr(config_module, "parse_text", edit_meanwhile)
    with pytest.raises(ConfigError, match="changed while saving"):
        set_value(path, ("display", "dark_mode"), True)
    assert path.read_bytes() == b"[display]\r\nheatmap_weeks = 9\r\n"


def test_live_view_interval_activity_tab_and_source_column(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[display]\nrefresh_seconds = 2\ndefault_tab = "activity"\n'
                    "[columns.sessions]\nshow_source = true\n")
    config = load_config(path).config
    assert config.display.refresh_seconds == 2.0 and config.display.default_tab == "activity"
    assert config.columns.sessions.show_source
    assert load_config(None).config.display.refresh_seconds == 5.0  # default: on, every 5 s
    path.write_text("[display]\nrefresh_seconds = -1\n")
    with pytest.raises(ConfigError, match="refresh_seconds"):
        load_config(path)


def test_the_session_columns_keep_the_order_the_file_lists_them(tmp_path):
    """The order of the show_ keys is the user's priority (what a narrow screen keeps)."""
    path = tmp_path / "c.toml"
    path.write_text("[columns.sessions]\nshow_model = true\n# a comment\nshow_date = false\n"
                    "show_tokens = true\norder = 3\n")
    loaded = load_config(path)
    assert loaded.config.columns.sessions.order == ("model", "date", "tokens")
    assert any("columns.sessions.order" in w for w in loaded.warnings)  # not a key of its own
    assert load_config(None).config.columns.sessions.order == ()
    config = set_value(path, ("columns", "sessions", "show_id"), True)  # Settings appends it
    assert config.columns.sessions.order == ("model", "date", "tokens", "id")
