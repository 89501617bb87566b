"""Settings: a typed TOML file whose problems are one clear line, saved atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from setlist.settings import (
    CONFIG_ENV,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.toml") == Settings()


def test_saved_settings_load_back(tmp_path: Path) -> None:
    path = tmp_path / "réglages" / "settings.toml"
    wanted = Settings(theme="nord", library_sort="-bpm", scan_workers=3, audio_output="pulse,alsa")
    save_settings(wanted, path)
    assert load_settings(path) == wanted
    assert os.listdir(path.parent) == ["settings.toml"]  # no temporary file left behind


def test_unset_optional_values_are_left_out_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(theme="dracula"), path)
    text = path.read_text(encoding="utf-8")
    assert 'theme = "dracula"' in text
    assert "scan_workers" not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("theme = ", "not valid TOML"),
        (
            "colour = 'red'",
            "unknown setting 'colour' (known: theme, library_sort, scan_workers, audio_output, "
            "preview_seconds)",
        ),
        ("theme = 3", "theme: Input should be a valid string"),
        ("scan_workers = 0", "scan_workers: Input should be greater than or equal to 1"),
        ("preview_seconds = 0", "preview_seconds: Input should be greater than 0"),
        ("preview_seconds = 'longtemps'", "preview_seconds: Input should be a valid number"),
        ("library_sort = 'mood'", "library_sort: Value error, cannot sort by 'mood'"),
        (
            "audio_output = 'pulse --af=x'",
            "audio_output: Value error, 'pulse --af=x' is not an audio output of mpv",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_it(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"theme = '\xff'")
    with pytest.raises(SettingsError, match="not UTF-8"):
        load_settings(path)


def test_a_folder_in_place_of_the_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path)
    with pytest.raises(SettingsError, match="cannot save settings"):
        save_settings(Settings(), tmp_path)


def test_every_setting_is_documented() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_the_path_comes_from_the_environment_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "mine.toml"))
    assert settings_path() == tmp_path / "mine.toml"
    monkeypatch.delenv(CONFIG_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert settings_path() == tmp_path / "config" / "setlist" / "settings.toml"
