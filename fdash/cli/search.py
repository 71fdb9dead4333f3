"""`fdash search WORD…`: sessions whose prompts, title or project hold every word."""

from __future__ import annotations

from fdash.cli.context import Context
from fdash.cli.flags import add_limit


def register(command) -> None:
    p = command("search", "find sessions by words in their prompts, title or project (newest first)", search)
    p.add_argument("words", nargs="+", metavar="WORD", help="every word must occur (case-insensitive)")
    add_limit(p, "sessions")


def search(ctx: Context) -> int:
    from fdash.core.search import Searcher

    catalog = ctx.catalog()
    query = " ".join(ctx.args.words)
    hits = Searcher(list(catalog.entries)).search(query, limit=ctx.limit)
    if ctx.json:
        from fdash.core import export

        return ctx.print_json([export.search_record(h) for h in hits])
    from fdash.cli.views.sessions import SearchView

    return ctx.show(SearchView(hits, query))
