"""The user's config: attrs classes structured by cattrs, read and edited with tomlkit.

File format (droid-dash's seed format, plus grouping rules)::

    [display]            default_tab, default_sort, default_group, hide_empty_sessions,
                         dark_mode, heatmap_weeks, refresh_seconds
    [columns.sessions]   show_<column> = true/false (in the order of importance: what a
                         narrow screen keeps first)
    [pricing.default]    input_per_million, output_per_million,
                         cache_write_per_million, cache_read_per_million
    [pricing.models."<model id>"]   the same four keys
    [paths]              sessions_dir
    [[grouping.rules]]   pattern = "<glob on the project path>", group = "<name>"
    [reports]            week_start, month_start_day, timezone (daily / weekly / monthly)

Priority: --config FILE > $XDG_CONFIG_HOME/factory-dashboard/config.toml >
~/.factory-dashboard.toml > defaults. A file that does not parse or holds a wrong
value is an error naming the file, the key and what was expected; it is never
overwritten. Unknown keys are kept and reported, not fatal.

Edits (`set_value`) change one key in the parsed tomlkit document, so every comment,
ordering and unknown key stays as the user wrote it; the result is validated before it
is written atomically.
"""

from __future__ import annotations

import os
import types
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
from attrs import field, frozen

from fdash.core import paths
from fdash.core.atomic import ChangedUnderneath, atomic_write, unchanged
from fdash.core.lock import LockTimeout, locked
from fdash.core.models import GROUP_KEYS, Price
from fdash.core.pricing import PriceBook
from fdash.core.regular import read_regular
from fdash.core.text import key_name, one_line

TABS = ("overview", "groups", "projects", "sessions", "favorites", "settings", "activity")
# what the Sessions list sorts by: last activity, tokens, duration, tool calls, failures
# (failed tool results + turns ended early), files edited
SORT_FIELDS = ("date", "tokens", "duration", "tools", "errors", "files")
SORTS = tuple(f"{name}_{order}" for name in SORT_FIELDS for order in ("desc", "asc"))
CONFIG_LIMIT = 1024 * 1024  # a config file is a few KB; a bigger one is refused
GROUPINGS = ("none", *GROUP_KEYS)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SESSION_COLUMNS = (
    "favorites", "date", "title", "project", "group", "model", "prompts", "tokens", "cost",
    "credits", "duration", "tools", "errors", "files", "id", "source",
)


class _FieldError(ValueError):
    """A value refused by a validator, with the key it belongs to."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _one_of(choices: tuple[str, ...]):
    def check(_instance, attribute, value):
        if value not in choices:
            raise _FieldError(attribute.name, f"expected one of {', '.join(choices)}, got {value!r}")

    check.choices = choices  # what `allowed` reports (the Settings tab offers them)
    return check


def _between(low: float, high: float):
    def check(_instance, attribute, value):
        if not low <= value <= high:
            raise _FieldError(
                attribute.name, f"expected a number from {low:g} to {high:g}, got {value!r}"
            )

    check.bounds = (low, high)  # what `allowed` reports (the Settings tab shows them)
    return check


def allowed(model: type, name: str) -> tuple | None:
    """What a setting of `model` accepts, from its validator: (low, high) for a number
    in a range, the tuple of choices for a choice, else None."""
    validator = attrs.fields_dict(model)[name].validator
    return getattr(validator, "bounds", None) or getattr(validator, "choices", None)


@frozen
class DisplayConfig:
    default_tab: str = field(default="overview", validator=_one_of(TABS))
    default_sort: str = field(default="date_desc", validator=_one_of(SORTS))
    default_group: str = field(default="none", validator=_one_of(GROUPINGS))
    hide_empty_sessions: bool = False
    dark_mode: bool = True
    heatmap_weeks: int = field(default=20, validator=_between(1, 104))
    # the full-screen app looks for new and changed session files this often; 0 = never
    refresh_seconds: float = field(default=5.0, validator=_between(0, 3600))


@frozen
class SessionColumns:
    show_favorites: bool = True
    show_date: bool = True
    show_title: bool = True
    show_project: bool = True
    show_group: bool = False
    show_model: bool = True
    show_prompts: bool = True
    show_tokens: bool = True
    show_cost: bool = True
    show_credits: bool = True  # Factory Standard Credits (a narrow screen leaves them out first)
    show_duration: bool = True
    show_tools: bool = True  # tool calls (wide screens: the narrow ones leave these out first)
    show_errors: bool = True  # failed tool results + turns ended early
    show_files: bool = True  # files edited
    show_id: bool = False
    show_source: bool = False  # the sessions folder (machine) a session was read from
    # the columns in the order the file lists their show_ keys (the user's priority: what
    # a narrow screen keeps first); read from the file, not a key of its own
    order: tuple[str, ...] = field(default=(), metadata={"from_file": True})


@frozen
class ColumnsConfig:
    sessions: SessionColumns = SessionColumns()


@frozen
class ModelPrice:
    input_per_million: float = field(validator=_between(0, 1e6))
    output_per_million: float = field(validator=_between(0, 1e6))
    cache_write_per_million: float | None = field(
        default=None, validator=attrs.validators.optional(_between(0, 1e6))
    )
    cache_read_per_million: float | None = field(
        default=None, validator=attrs.validators.optional(_between(0, 1e6))
    )

    def to_price(self) -> Price:
        return Price(
            self.input_per_million,
            self.output_per_million,
            self.cache_write_per_million,
            self.cache_read_per_million,
        )


@frozen
class PricingConfig:
    default: ModelPrice | None = None
    models: dict[str, ModelPrice] = field(factory=dict)
    # a BYOK `custom:` model priced as a priced model, on the user's word: an estimate,
    # labelled so ([pricing.custom] "custom:Opus-via-proxy-0" = "claude-opus-4-5")
    custom: dict[str, str] = field(factory=dict)


@frozen
class PathsConfig:
    sessions_dir: str = "~/.factory/sessions"
    # more folders read together with it (histories copied from other machines)
    sessions_dirs: list[str] = field(factory=list)


def _limit(_instance, attribute, value):
    if value is not None and not 0 < value <= 1e12:
        raise _FieldError(attribute.name, f"expected a positive number, got {value!r}")


@frozen
class BudgetConfig:
    """Spending limits per day, week and (billing) month, in dollars and/or tokens, and
    per month in Factory Standard Credits (what a plan's allowance is counted in)."""

    daily_usd: float | None = field(default=None, validator=_limit)
    weekly_usd: float | None = field(default=None, validator=_limit)
    monthly_usd: float | None = field(default=None, validator=_limit)
    daily_tokens: int | None = field(default=None, validator=_limit)
    weekly_tokens: int | None = field(default=None, validator=_limit)
    monthly_tokens: int | None = field(default=None, validator=_limit)
    monthly_credits: float | None = field(default=None, validator=_limit)

    @property
    def any_limit(self) -> bool:
        """Whether any limit is set (the budget is shown only then)."""
        return any(getattr(self, a.name) is not None for a in attrs.fields(type(self)))


@frozen
class GroupRule:
    pattern: str
    group: str


@frozen
class GroupingConfig:
    rules: list[GroupRule] = field(factory=list)


def _zone_name(_instance, attribute, value):
    """"" (the local zone), "UTC" or an IANA name this machine knows."""
    if value in ("", "local") or value.upper() == "UTC":
        return
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    try:
        ZoneInfo(value)
    except Exception:  # noqa: BLE001 (ZoneInfoNotFoundError, ValueError, OSError)
        raise _FieldError(
            attribute.name, f"expected an IANA time zone like Europe/Warsaw, or UTC, got {value!r}"
        ) from None


@frozen
class ReportsConfig:
    """daily / weekly / monthly: when a week starts, the day a (billing) month starts,
    the zone days are counted in ("" = the local zone)."""

    week_start: str = field(default="monday", validator=_one_of(WEEKDAYS))
    month_start_day: int = field(default=1, validator=_between(1, 28))
    timezone: str = field(default="", validator=_zone_name)


@frozen
class Config:
    display: DisplayConfig = DisplayConfig()
    columns: ColumnsConfig = ColumnsConfig()
    pricing: PricingConfig = PricingConfig()
    paths: PathsConfig = PathsConfig()
    grouping: GroupingConfig = GroupingConfig()
    reports: ReportsConfig = ReportsConfig()
    budget: BudgetConfig = BudgetConfig()


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line for the user."""


# --------------------------------------------------------------------------- structuring


def _strict(kind: type, name: str):
    def structure(value: Any, _type: Any):
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {name}, got {_shown_value(value)}")
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise TypeError(f"expected {name}, got {_shown_value(value)}")
        return value

    return structure


@lru_cache(maxsize=1)
def converter():
    """The cattrs converter (imported only when there is a config file to read)."""
    import cattrs  # noqa: PLC0415
    import cattrs.gen  # noqa: PLC0415

    converter = cattrs.Converter()
    converter.register_structure_hook(bool, _strict(bool, "true or false"))
    converter.register_structure_hook(int, _strict(int, "a whole number"))
    converter.register_structure_hook(float, _strict(float, "a number"))
    converter.register_structure_hook(str, _strict(str, "a string"))

    def table_hook(cls: type):
        derived = {a.name: cattrs.gen.override(omit=True) for a in attrs.fields(cls) if a.metadata.get("from_file")}
        structure_fields = cattrs.gen.make_dict_structure_fn(cls, converter, **derived)

        def structure_table(value: Any, _type: Any):
            if not isinstance(value, dict):
                raise TypeError(f"expected a table, got {value!r}")
            return structure_fields(value, cls)

        return structure_table

    converter.register_structure_hook_factory(attrs.has, table_hook)

    def container_hook(kind: Any):
        # cattrs would turn the string "/path" into the list ["/", "p", "a", "t", "h"]
        origin = typing.get_origin(kind)
        wanted, name = (list, "a list") if origin is list else (dict, "a table")
        if origin is dict:
            structure_items = converter.gen_structure_mapping(kind)
        else:
            from cattrs.cols import list_structure_factory  # noqa: PLC0415

            structure_items = list_structure_factory(kind, converter)

        def structure(value: Any, _type: Any):
            if not isinstance(value, wanted):
                raise TypeError(f"expected {name}, got {_shown_value(value)}")
            return structure_items(value, kind)

        return structure

    converter.register_structure_hook_factory(lambda t: typing.get_origin(t) in (list, dict), container_hook)
    return converter


def _shown_value(value: Any) -> str:
    """A wrong value as an error message shows it: its repr (escapes made visible), short."""
    return one_line(repr(value), 80)



def _first_error(exc: BaseException, where: str = "") -> tuple[str, str]:
    """(dotted key, message) of the first leaf error in a cattrs error tree."""
    import cattrs  # noqa: PLC0415

    if isinstance(exc, cattrs.BaseValidationError):
        for sub in exc.exceptions:
            note = ""
            for n in getattr(sub, "__notes__", []):
                if getattr(n, "name", None) is not None:
                    note = f".{key_name(str(n.name))}"
                elif getattr(n, "index", None) is not None:
                    index = n.index
                    note = f"[{index}]" if isinstance(index, int) else f".{key_name(str(index))}"
                else:
                    continue
                break
            prefix = (where + note).lstrip(".")
            return _first_error(sub, prefix)
    if isinstance(exc, KeyError):
        return where, "a required key is missing"
    if isinstance(exc, _FieldError):
        return f"{where}.{exc.key}" if where else exc.key, str(exc)
    message = str(exc.args[0]) if exc.args else str(exc)
    return where, message


def structure(data: dict, source: str) -> Config:
    import cattrs  # noqa: PLC0415

    try:
        config = converter().structure(data, Config)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        key, message = _first_error(exc)
        raise ConfigError(f"{source}: {key or '(top level)'}: {message}") from None
    shown = data.get("columns", {}).get("sessions", {})  # a dict: tables were checked
    order = tuple(k[5:] for k in shown if k.startswith("show_") and k[5:] in SESSION_COLUMNS)
    columns = attrs.evolve(config.columns.sessions, order=order)
    return attrs.evolve(config, columns=attrs.evolve(config.columns, sessions=columns))


def unknown_keys(data: Any, cls: type = Config, prefix: str = "") -> list[str]:
    """Dotted names of keys the config does not know (kept, but reported)."""
    if not isinstance(data, dict) or not attrs.has(cls):
        return []
    attrs.resolve_types(cls)
    found = []
    known = {a.name: a.type for a in attrs.fields(cls) if not a.metadata.get("from_file")}
    for key, value in data.items():
        name = f"{prefix}{key_name(str(key))}"
        if key not in known:
            found.append(name)
            continue
        kind = _table_type(known[key])
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin is dict and isinstance(value, dict) and attrs.has(args[1]):
            for item_key, table in value.items():
                found += unknown_keys(table, args[1], f"{name}.{key_name(str(item_key))}.")
        elif origin is list and isinstance(value, list) and attrs.has(args[0]):
            for i, table in enumerate(value):
                found += unknown_keys(table, args[0], f"{name}[{i}].")
        elif isinstance(kind, type) and attrs.has(kind):
            found += unknown_keys(value, kind, name + ".")
    return found


def _table_type(kind: Any) -> Any:
    """`X | None` → X."""
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return kind


# --------------------------------------------------------------------------- loading


@frozen
class LoadedConfig:
    config: Config
    path: Path | None  # the file it came from; None = defaults
    warnings: tuple[str, ...] = ()

    @property
    def write_path(self) -> Path:
        """Where in-app edits go: the active file, or the default location."""
        return self.path or paths.default_config_path()


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    for candidate in paths.config_candidates():
        if candidate.is_file():
            return candidate
    return None


def parse_text(text: str, source: str):
    """(tomlkit document, Config, warnings) of a config file's text."""
    import tomlkit  # noqa: PLC0415
    from tomlkit.exceptions import TOMLKitError  # noqa: PLC0415

    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{source}: not valid TOML ({one_line(str(exc), 200)})") from None
    data = doc.unwrap()
    config = structure(data, source)
    warnings = [f"{source}: unknown key {key} (ignored)" for key in unknown_keys(data)]
    return doc, config, warnings


def load_config(explicit: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """The config in force. An explicit --config that does not exist is an error."""
    path = find_config(explicit)
    if path is None:
        return LoadedConfig(Config(), None)
    try:
        text = read_regular(path, limit=CONFIG_LIMIT).decode("utf-8")
        text = text.replace("\r\n", "\n")  # as read_text would (tomlkit keeps what it is given)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    _doc, config, warnings = parse_text(text, str(path))
    return LoadedConfig(config, path, tuple(warnings))


def price_book(config: Config):
    """The prices of this config: its overrides, the built-in table, its custom-model
    estimates, its default (see fdash.core.pricing)."""
    models = {model: p.to_price() for model, p in config.pricing.models.items()}
    default = config.pricing.default.to_price() if config.pricing.default else None
    return PriceBook(models, default, dict(config.pricing.custom))


# --------------------------------------------------------------------------- editing


def set_value(path: str | os.PathLike[str], keys: tuple[str, ...], value: Any) -> Config:
    """Set one key (`("display", "dark_mode")`, `("pricing", "models", "gpt-5", "input_per_million")`)
    in the config file at `path`, keeping everything else as written. `value=None`
    removes the key (and a table it leaves empty). Returns the new, validated Config;
    raises ConfigError and writes nothing when the file or the result is invalid."""
    return update(path, [(keys, value)])


def update(path: str | os.PathLike[str], changes: list[tuple[tuple[str, ...], Any]]) -> Config:
    """Several `set_value` changes in one validated, atomic write. Two fdash processes
    editing at once take turns (`fdash.core.lock`): neither loses the other's change."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the write says why
    try:
        with locked(path):
            return _update(path, changes)
    except LockTimeout as exc:
        raise ConfigError(f"{path}: {exc.strerror}; nothing written, try again") from None


def _update(path: Path, changes: list[tuple[tuple[str, ...], Any]]) -> Config:
    try:
        raw: bytes | None = read_regular(path, limit=CONFIG_LIMIT)
        text = raw.decode("utf-8")  # bytes, not read_text: CRLF line ends stay as written
    except FileNotFoundError:
        raw, text = None, ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    doc, _config, _warnings = parse_text(text, str(path))  # refuses a broken file
    created: list = []
    for keys, value in changes:
        _apply(doc, keys, value, created)
    import tomlkit  # noqa: PLC0415

    for table in created:  # a blank line after a new table, as a person would write it
        if len(table) and not table.is_super_table():
            table.add(tomlkit.nl())
    new_text = tomlkit.dumps(doc)
    changed = ", ".join(".".join(keys) for keys, _ in changes)
    _doc, config, _w = parse_text(new_text, f"{path} (after setting {changed})")
    try:  # never overwrite an edit the user made meanwhile (in an editor, say)
        atomic_write(path, new_text.encode("utf-8"), before_replace=unchanged(path, raw))
    except ChangedUnderneath:
        raise ConfigError(f"{path} changed while saving; nothing written, try again") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return config


def _apply(doc, keys: tuple[str, ...], value: Any, created: list) -> None:
    import tomlkit  # noqa: PLC0415

    *tables, last = keys
    node: Any = doc
    chain = []
    for i, key in enumerate(tables):
        if key not in node:
            if value is None:
                return
            # [pricing.models."x"]: intermediate tables are super tables (no empty header)
            holds_tables = i < len(tables) - 1 or (
                isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            )
            node[key] = tomlkit.table(is_super_table=holds_tables)
            created.append(node[key])
        chain.append((node, key))
        node = node[key]
    if value is None:
        if last in node:
            del node[last]
        for parent, key in reversed(chain):  # drop tables the removal left empty
            if len(parent[key]) == 0:
                del parent[key]
            else:
                break
        return
    node[last] = value
