"""The user's settings: a typed model read from, and saved to, one TOML file.

The file's place comes from `settings_path()`, asked when settings are loaded and never at
import time (importing setlist must not create folders or read the environment). A file that
cannot be used (not TOML, an unknown setting, a value of the wrong kind) raises
`SettingsError` naming the file and the problem; the app then starts on the defaults, says
so, and leaves the file alone so that nothing the user wrote is overwritten.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from library.errors import QueryError, SetlistError
from library.query import compile_sort

CONFIG_ENV = "SETLIST_CONFIG"


class SettingsError(SetlistError):
    """The settings file cannot be read, understood or saved."""


def settings_path() -> Path:
    """Where settings live: `$SETLIST_CONFIG`, else `settings.toml` in the config folder."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("setlist", appauthor=False)) / "settings.toml"


class Settings(BaseModel):
    """Everything the user can set. Unknown keys are refused, so a typo is reported."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    theme: str = "textual-dark"
    """The app's Textual theme, by name; picked in the app with ctrl+t (or "Theme")."""

    library_sort: str = "artist"
    """The library's order: a field of `setlist tracks --sort` (artist, title, label, bpm,
    key, duration...), with a leading `-` for descending. The app remembers the last one."""

    scan_workers: int | None = Field(default=None, ge=1)
    """Processes reading tags during a scan started from the app; unset means one per CPU."""

    audio_output: str | None = None
    """mpv's audio output for playback (its `--ao`: pulse, pipewire, alsa, coreaudio, null
    for silence...); unset lets mpv choose. SETLIST_AUDIO_OUTPUT overrides it."""

    preview_seconds: float = Field(default=30.0, gt=0, le=600)
    """How much of each track the transition preview plays: the last seconds of one track,
    then as many of the next."""

    @field_validator("audio_output")
    @classmethod
    def _known_output(cls, value: str | None) -> str | None:
        from setlist.playback.mpv_process import check_audio_output

        if value is None:
            return None
        try:
            return check_audio_output(value, "audio_output")
        except SetlistError as error:
            raise ValueError(str(error).removeprefix("audio_output: ")) from None

    @field_validator("library_sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        try:
            compile_sort(value)
        except QueryError as error:
            raise ValueError(str(error)) from None
        return value


def _describe(error: ValidationError) -> str:
    """Every problem pydantic found, in one line: `key: what is wrong`."""
    known = ", ".join(Settings.model_fields)
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(file)"
        if item["type"] == "extra_forbidden":
            problems.append(f"unknown setting {where!r} (known: {known})")
        else:
            problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def load_settings(path: Path) -> Settings:
    """The settings in `path`; the defaults when there is no such file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise SettingsError(f"{path}: not UTF-8 text ({error.reason})") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from error
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise SettingsError(f"{path}: {_describe(error)}") from error


def save_settings(settings: Settings, path: Path) -> None:
    """Write the settings atomically: a crash leaves the old file or the new one, never half."""
    import tomli_w

    text = tomli_w.dumps(settings.model_dump(exclude_none=True))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise SettingsError(f"{path}: cannot save settings: {error.strerror or error}") from error
