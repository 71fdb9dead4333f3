"""Where things live: Droid's sessions, fdash's config and cache (XDG)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_DIR_NAME = "factory-dashboard"  # shared with droid-dash's config location
LEGACY_CONFIG_NAME = ".factory-dashboard.toml"


def factory_home() -> Path:
    """The folder holding droid's `.factory`: `$FACTORY_HOME_OVERRIDE` when set (droid
    reads it before HOME; droid 0.225.2, docs/FORMAT.md), else the home folder."""
    override = os.environ.get("FACTORY_HOME_OVERRIDE")
    return Path(override) if override else Path.home()


def default_sessions_dir() -> Path:
    return factory_home() / ".factory" / "sessions"


def xdg_config_home() -> Path:
    value = os.environ.get("XDG_CONFIG_HOME")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".config"


def xdg_cache_home() -> Path:
    value = os.environ.get("XDG_CACHE_HOME")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".cache"


def default_config_path() -> Path:
    """Where a new config file is created (the Settings tab writes here when none exists)."""
    return xdg_config_home() / CONFIG_DIR_NAME / "config.toml"


def config_candidates() -> list[Path]:
    """Config files in priority order (after an explicit --config)."""
    return [default_config_path(), Path.home() / LEGACY_CONFIG_NAME]


def cache_dir() -> Path:
    return xdg_cache_home() / "fdash"


def expand(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.expandvars(os.path.expanduser(str(path))))


def unreadable(folder: str | os.PathLike[str]) -> str | None:
    """Why fdash cannot read the folder (listing needs read permission, going in needs
    search permission), or None when it can."""
    try:
        with os.scandir(folder):
            pass
        os.stat(os.path.join(folder, "."))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
