"""The command line: each command is registered, with its own flags, by the module that
runs it (its `register(command)` calls `command(name, help, run)` once per command)."""

from __future__ import annotations

import argparse

from fdash.cli import budget, periods, search, sessions, show, totals, watch
from fdash.cli.context import UsageError
from fdash.cli.flags import add_common

# the modules whose `register` adds commands, in the order `fdash --help` lists them
COMMAND_MODULES = (totals, sessions, show, periods, search, budget, watch)


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with a one-line message, like argparse, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="fdash", description="Fast, exact dashboard for Factory.ai Droid sessions.")
    add_common(parser, suppress=False)
    parser.add_argument("--print", action="store_true", dest="print_mode",
                        help="print a report instead of opening the dashboard (default report: stats)")
    parser.add_argument("--version", action="store_true", help="show the version")
    parser.set_defaults(run=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, help_text: str, run) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_common(p, suppress=True)
        p.set_defaults(run=run)
        return p

    for module in COMMAND_MODULES:
        module.register(command)
    return parser
