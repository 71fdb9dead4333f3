"""Flags more than one command takes."""

from __future__ import annotations

import argparse

RANGE_FLAGS = ("since", "until", "tz")


def add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Flags accepted before and after the command (`fdash --json stats`, `fdash stats --json`)."""
    default = argparse.SUPPRESS if suppress else None
    flag_default = argparse.SUPPRESS if suppress else False
    parser.add_argument("-d", "--sessions-dir", metavar="DIR", default=default, action="append",
                        help="Droid sessions folder (default: ~/.factory/sessions); give it "
                             "several times to merge histories from several machines")
    parser.add_argument("--config", metavar="FILE", default=default, help="config file to use")
    parser.add_argument("--json", action="store_true", default=flag_default, help="machine-readable output")
    parser.add_argument("-v", "--verbose", action="store_true", default=flag_default,
                        help="list every warning (path and reason) on stderr")
    parser.add_argument("--no-cache", action="store_true", default=flag_default,
                        help="read every file again, not trusting the index, and rewrite it")


def count(text: str) -> int:
    """A `--limit` value: a whole number, 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {text!r}")
    return int(text)


def add_limit(parser: argparse.ArgumentParser, what: str = "rows") -> None:
    parser.add_argument("--limit", type=count, default=None, metavar="N", help=f"show at most N {what}")


def add_range_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DAY",
                        help="from this local day: YYYY-MM-DD, today, yesterday, 7d, 2w, 3m")
    parser.add_argument("--until", metavar="DAY", help="up to this local day, included")
    add_zone_flag(parser, "IANA time zone for days")


def add_zone_flag(parser: argparse.ArgumentParser, what: str = "IANA time zone") -> None:
    parser.add_argument("--tz", metavar="ZONE", help=f"{what} (default: [reports] timezone, else local)")
