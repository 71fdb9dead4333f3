"""The Settings tab as data: every config setting as an item, and how an edit is written.

Edits go through `fdash.core.config.update` into the config file the app was started
with (or the default location when there is none): one key in the kept tomlkit document,
validated, written atomically — the user's comments stay. Refused input is reported and
nothing is written. No UI imports.
"""

from __future__ import annotations

import math
import os

from attrs import frozen

from fdash.core import paths
from fdash.core.config import (
    SESSION_COLUMNS,
    Config,
    ConfigError,
    DisplayConfig,
    ReportsConfig,
    allowed,
    update,
)
from fdash.core.models import Price
from fdash.core.pricing import PriceBook, builtin_table
from fdash.tui.context import Context, TabState
from fdash.tui.cursor import Cursor

PRICE_FIELDS = (
    "input_per_million",
    "output_per_million",
    "cache_write_per_million",
    "cache_read_per_million",
)
DEFAULT_PRICE = "(default for unknown models)"


@frozen
class Item:
    kind: str  # section | choice | bool | number | text | price | note
    label: str
    keys: tuple[str, ...] = ()
    value: object = None
    choices: tuple[str, ...] = ()
    note: str = ""
    model: str | None = None  # price rows: the model id (None: [pricing.default])
    configured: bool = False  # price rows: an entry exists in the config file
    flavor: str = ""  # number: int | float; text: folder | folders | zone
    optional: bool = False  # an empty answer removes the key

    @property
    def editable(self) -> bool:
        return self.kind not in ("section", "note")


def fmt_price(price: Price | None) -> str:
    if price is None:
        return "—"
    parts = [price.input, price.output, price.cache_write, price.cache_read]
    return " / ".join("=in" if p is None else f"{p:g}" for p in parts)


def choices(model: type, name: str) -> tuple[str, ...]:
    """The values a choice setting accepts (from the config model's validator)."""
    found = allowed(model, name)
    if not isinstance(found, tuple) or not all(isinstance(c, str) for c in found):
        raise TypeError(f"{model.__name__}.{name} is not a choice")
    return found


def span(model: type, name: str, extra: str = "") -> str:
    """"1–104": the range a number setting accepts (from the config model's validator)."""
    low, high = allowed(model, name)
    text = f"{low:g}–{high:g}"
    return f"{text}; {extra}" if extra else text


def build_items(
    config: Config, models_seen: list[str], write_path: str, current_roots: str = ""
) -> list[Item]:
    d = config.display
    items = [
        Item("section", "Display"),
        Item("choice", "Default tab", ("display", "default_tab"), d.default_tab,
             choices(DisplayConfig, "default_tab")),
        Item("choice", "Default sort", ("display", "default_sort"), d.default_sort,
             choices(DisplayConfig, "default_sort")),
        Item("choice", "Default grouping", ("display", "default_group"), d.default_group,
             choices(DisplayConfig, "default_group")),
        Item(
            "bool", "Hide empty sessions", ("display", "hide_empty_sessions"), d.hide_empty_sessions
        ),
        Item("bool", "Dark mode", ("display", "dark_mode"), d.dark_mode),
        Item(
            "number",
            "Heatmap weeks",
            ("display", "heatmap_weeks"),
            d.heatmap_weeks,
            note=span(DisplayConfig, "heatmap_weeks"),
            flavor="int",
        ),
        Item(
            "number",
            "Live view refresh (seconds)",
            ("display", "refresh_seconds"),
            d.refresh_seconds,
            note=span(DisplayConfig, "refresh_seconds", "0 = off"),
            flavor="float",
        ),
        Item("section", "Session columns"),
    ]
    columns = config.columns.sessions
    for name in SESSION_COLUMNS:
        key = f"show_{name}"
        items.append(
            Item("bool", f"Show {name}", ("columns", "sessions", key), getattr(columns, key))
        )
    table = builtin_table()
    items.append(
        Item(
            "section",
            "Pricing (USD per million tokens: input / output / cache write / cache read)",
            note=f"built-in: {table.source.split(',')[0].strip()}, retrieved {table.retrieved}",
        )
    )
    book = PriceBook()
    origin = f"{table.source.split()[0]} {table.retrieved}"  # e.g. "LiteLLM 2026-11-25"
    default = config.pricing.default
    items.append(
        Item(
            "price",
            DEFAULT_PRICE,
            ("pricing", "default"),
            default.to_price() if default else None,
            model=None,
            configured=default is not None,
            note="used for models with no price",
        )
    )
    configured = config.pricing.models
    for model in sorted(set(configured) | set(models_seen), key=str.lower):
        own = configured.get(model)
        builtin, source, key = book.lookup(model)
        if source != "builtin":
            note = "no built-in price"
        else:
            note = f"built-in {fmt_price(builtin)} · {origin}" + (
                f" (as {key})" if key != model.lower() else ""
            )
        items.append(
            Item(
                "price",
                model,
                ("pricing", "models", model),
                own.to_price() if own else None,
                model=model,
                configured=own is not None,
                note=note,
            )
        )
    items += [
        Item("section", "Paths", note=f"now reading {current_roots}"),
        Item(
            "text",
            "Sessions folder",
            ("paths", "sessions_dir"),
            config.paths.sessions_dir,
            flavor="folder",
        ),
        Item(
            "text",
            "More sessions folders",
            ("paths", "sessions_dirs"),
            tuple(config.paths.sessions_dirs),
            flavor="folders",
            optional=True,
            note=f"separated by {os.pathsep}",
        ),
        Item("section", "Reports (daily / weekly / monthly)"),
        Item(
            "choice",
            "Week starts on",
            ("reports", "week_start"),
            config.reports.week_start,
            choices(ReportsConfig, "week_start"),
        ),
        Item(
            "number",
            "Month starts on day",
            ("reports", "month_start_day"),
            config.reports.month_start_day,
            note=span(ReportsConfig, "month_start_day"),
            flavor="int",
        ),
        Item(
            "text",
            "Time zone",
            ("reports", "timezone"),
            config.reports.timezone,
            flavor="zone",
            note="IANA name or UTC; empty: this machine's",
        ),
        Item("section", "Budget", note="empty: no limit"),
    ]
    budget = config.budget
    for period in ("daily", "weekly", "monthly"):
        for unit, flavor, label in (("usd", "float", "USD"), ("tokens", "int", "tokens")):
            key = f"{period}_{unit}"
            items.append(
                Item(
                    "number",
                    f"{period.capitalize()} {label}",
                    ("budget", key),
                    getattr(budget, key),
                    flavor=flavor,
                    optional=True,
                    note="> 0",
                )
            )
    items.append(
        Item(
            "number",
            "Monthly Factory credits",
            ("budget", "monthly_credits"),
            budget.monthly_credits,
            flavor="float",
            optional=True,
            note="> 0",
        )
    )
    items.append(
        Item("section", "Grouping rules", note="edit [[grouping.rules]] in the config file")
    )
    for rule in config.grouping.rules:
        items.append(Item("note", rule.pattern, value=f"→ {rule.group}"))
    if not config.grouping.rules:
        items.append(Item("note", "(none)", value="projects are grouped by their parent folder"))
    items += [Item("section", "Config file"), Item("note", "Saved to", value=write_path)]
    return items


def parse_price(text: str) -> tuple[float, float, float | None, float | None]:
    """`"3 15 3.75 0.3"` (commas or `/` allowed; `-` = same as input) → four prices."""
    parts = text.replace(",", " ").replace("/", " ").split()
    if not 2 <= len(parts) <= 4:
        raise ValueError("enter 2 to 4 numbers: input output [cache_write cache_read]")
    values: list[float | None] = []
    for part in parts:
        if part in ("-", "=in") and values:
            values.append(None)
            continue
        try:
            value = float(part)
        except ValueError:
            raise ValueError(f"{part!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{part} is not a price (a number ≥ 0)")
        values.append(value)
    if values[0] is None or values[1] is None:
        raise ValueError("input and output prices are required")
    values += [None] * (4 - len(values))
    return values[0], values[1], values[2], values[3]


HINTS = {
    "folder": "a folder that exists; fdash reads it at once",
    "folders": f"folders that exist, separated by {os.pathsep}; empty: none",
    "zone": "e.g. Europe/Warsaw or UTC; empty: this machine's zone",
    "float": "a number; empty: not set",
    "int": "a whole number",
}


def parse_value(item: Item, text: str):
    """The typed text as the value to write (ValueError with a message when it is not)."""
    if item.kind == "number":
        try:
            value = int(text) if item.flavor == "int" else float(text)
        except ValueError:
            kind = "a whole number" if item.flavor == "int" else "a number"
            raise ValueError(f"{text!r} is not {kind}") from None
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a usable number")
        return value
    if item.flavor == "folder":
        if not text:
            raise ValueError("a folder is required")
        _existing_folder(text)
        return text
    if item.flavor == "folders":
        folders = [part.strip() for part in text.split(os.pathsep) if part.strip()]
        for folder in folders:
            _existing_folder(folder)
        return folders
    return text  # zone: the config checks it


def _existing_folder(text: str) -> None:
    folder = paths.expand(text)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not an existing folder")


class SettingsState(TabState):
    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.cursor = Cursor(index=1)
        self._key: tuple | None = None
        self._items: list[Item] = []

    @property
    def items(self) -> list[Item]:
        ctx = self.ctx
        key = (id(ctx.config), ctx.data.content, str(ctx.write_path), ctx.roots)
        if key != self._key:
            roots = os.pathsep.join(str(r) for r in ctx.roots)
            self._items = build_items(ctx.config, ctx.data.models, str(ctx.write_path), roots)
            self._key = key
            self.cursor.move(0, len(self._items), self.selectable)
        return self._items

    def scroller(self):
        return self

    def selectable(self, index: int) -> bool:
        items = self._items
        return 0 <= index < len(items) and items[index].editable

    def selected(self) -> Item | None:
        items = self.items
        i = self.cursor.index
        return items[i] if 0 <= i < len(items) and items[i].editable else None

    def move(self, delta: int) -> None:
        self.cursor.move(delta, len(self.items), self.selectable)

    def page(self, pages: int) -> None:
        self.cursor.page(pages, len(self.items), self.selectable)

    def home(self) -> None:
        self.cursor.home(len(self.items), self.selectable)

    def end(self) -> None:
        self.cursor.end(len(self.items), self.selectable)

    def select(self, index: int) -> None:
        if self.selectable(index):
            self.cursor.index = index

    # ------------------------------------------------------------------ edits

    def activate(self) -> None:
        """Enter/space: toggle a switch, step a choice, or open an editor for a value."""
        item = self.selected()
        if item is None:
            return
        if item.kind in ("bool", "choice"):
            self.cycle(1)
        elif item.kind in ("number", "text"):
            value = item.value
            if isinstance(value, (list, tuple)):
                value = os.pathsep.join(value)
            title = f"{item.label} ({item.note})" if item.note else item.label
            self.ctx.ask(
                "setting",
                title,
                "" if value is None else f"{value:g}" if isinstance(value, float) else str(value),
                lambda text: self._submit_value(item, text),
                hint=HINTS.get(item.flavor, ""),
            )
        elif item.kind == "price":
            self._ask_price(item.model, item.value or self._effective(item.model))

    def cycle(self, step: int) -> None:
        item = self.selected()
        if item is None:
            return
        if item.kind == "bool":
            self.write(
                [(item.keys, not item.value)], f"{item.label}: {'on' if not item.value else 'off'}"
            )
        elif item.kind == "choice":
            i = item.choices.index(item.value) if item.value in item.choices else -1
            value = item.choices[(i + step) % len(item.choices)]
            self.write([(item.keys, value)], f"{item.label}: {value}")

    def add_model(self) -> None:
        self.ctx.ask(
            "setting",
            "Add a model price: model id",
            "",
            self._submit_model_id,
            hint="the id as droid writes it, e.g. claude-sonnet-4-5-20250929",
        )

    def delete(self) -> None:
        """Remove the selected model's price override (the built-in price applies again)."""
        item = self.selected()
        if item is None or item.kind != "price":
            return
        if not item.configured:
            self.ctx.flash(f"{item.label} has no price in the config file", "error")
            return
        self.write([(item.keys, None)], f"removed the price of {item.label} from the config")

    def _submit_model_id(self, text: str) -> str | None:
        model = " ".join(text.split())
        if not model:
            return "a model id cannot be empty"
        if any(ord(c) < 32 for c in text) or len(model) > 200:
            return "not a usable model id"
        self._ask_price(model, self._effective(model))
        return None

    def _effective(self, model: str | None) -> Price | None:
        if model is None:
            return None
        price, _source, _key = PriceBook().lookup(model)
        return price

    def _ask_price(self, model: str | None, price: Price | None) -> None:
        initial = fmt_price(price).replace(" / ", " ") if price else ""
        label = DEFAULT_PRICE if model is None else model
        self.ctx.ask(
            "setting",
            f"Price of {label}",
            initial.replace("=in", "-"),
            lambda text: self._submit_price(model, text),
            hint="input output [cache_write cache_read] USD per million; - = input price",
        )

    def _submit_price(self, model: str | None, text: str) -> str | None:
        try:
            values = parse_price(text)
        except ValueError as exc:
            return str(exc)
        base = ("pricing", "default") if model is None else ("pricing", "models", model)
        changes = [(base + (name,), value) for name, value in zip(PRICE_FIELDS, values)]
        label = DEFAULT_PRICE if model is None else model
        return self.write(changes, f"price of {label} saved")

    def _submit_value(self, item: Item, text: str) -> str | None:
        """Check what was typed, then write it; an error keeps the dialog open."""
        text = text.strip()
        if not text and item.optional:
            return self.write([(item.keys, None)], f"{item.label}: not set")
        try:
            value = parse_value(item, text)
        except ValueError as exc:
            return str(exc)
        shown = os.pathsep.join(value) if isinstance(value, list) else value
        return self.write(
            [(item.keys, value)], f"{item.label}: {shown if shown != '' else '(default)'}"
        )

    def write(self, changes, done: str) -> str | None:
        """Save the changes; None when saved, else the reason (also shown as a message)."""
        path = self.ctx.write_path
        try:
            config = update(path, changes)
        except ConfigError as exc:
            self.ctx.flash(f"not saved: {exc}", "error")
            return str(exc)
        except OSError as exc:
            self.ctx.flash(f"not saved: cannot write {path}: {exc.strerror or exc}", "error")
            return f"cannot write {path}"
        self.ctx.apply_config(config)
        self.ctx.flash(f"{done} — saved to {path}", "info")
        return None
