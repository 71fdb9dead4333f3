"""What a command receives: the parsed flags, the config, the sessions folder, and the
data, loaded once when the command asks for it."""

from __future__ import annotations

import sys
from argparse import Namespace

from fdash.cli import output
from fdash.cli.flags import RANGE_FLAGS
from fdash.cli.timerange import TimeScope, Window, restrict, window
from fdash.core.catalog import Catalog, SessionsDirError
from fdash.core.config import Config
from fdash.core.source import Source
from fdash.core.text import notice


class Failure(Exception):
    """A command cannot go on: `fdash: <message>` on stderr, exit `code`."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


class UsageError(Failure):
    """A bad flag or value (exit 2; the message points to --help)."""


class Context:
    def __init__(self, args: Namespace, config: Config, source: Source):
        self.args, self.config, self.source = args, config, source
        self._window: Window | None = None
        self._catalog: Catalog | None = None

    @property
    def json(self) -> bool:
        return self.args.json

    @property
    def demo(self) -> bool:
        """The data is fdash's generated demo history (there is no sessions folder)."""
        return self.source.demo

    def print_json(self, data) -> int:
        return output.print_json(output.mark_demo(data) if self.demo else data)

    def show(self, view, note: str | None = None) -> int:
        """Print a report for people (the demo's first line says it is not theirs)."""
        return output.show(view, note, output.DEMO_BANNER if self.demo else None)

    @property
    def limit(self) -> int | None:
        return getattr(self.args, "limit", None)

    def window(self) -> Window:
        """The time zone and days asked for (--tz, --since, --until, else the config)."""
        if self._window is None:
            from fdash.core.timeline import TimeError

            try:
                self._window = window(self.args, self.config)
            except TimeError as exc:
                raise UsageError(str(exc)) from None
        return self._window

    def catalog(self) -> Catalog:
        """Every session (read once), after saying where the data comes from and what in
        it could not be read."""
        if self._catalog is None:
            if self.source.note:
                print(notice(self.source.note), file=sys.stderr)
            progress = None if self.json else output.progress_reporter()
            try:
                self._catalog = self.source.load(self.config, use_index=not self.args.no_cache, progress=progress)
            except SessionsDirError as exc:
                raise Failure(str(exc)) from None
            output.report_problems(self._catalog.problems, self.args.verbose)
            if self.args.verbose:
                output.report_settings_only(self._catalog.entries)
        return self._catalog

    def entries(self, whole: bool = False) -> tuple[list, TimeScope | None]:
        """The sessions of the days asked for (all of them without --since/--until): whole
        sessions when `whole`, else the part of their tokens attributed to those days."""
        win = self.window() if any(getattr(self.args, f, None) for f in RANGE_FLAGS) else None
        return restrict(list(self.catalog().entries), win, whole)
