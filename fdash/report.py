"""Rich renderables for the one-shot reports (`fdash stats`, `projects`, …).

Every piece of text that comes from a session file goes through `fdash.core.text`
and into a `rich.text.Text`, so it can neither move the cursor nor be read as markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.core.aggregate import Bucket, Totals
from fdash.core.models import Entry
from fdash.core.text import one_line


def _table(title: str, demo: bool) -> Table:
    marker = "  [DEMO DATA]" if demo else ""
    return Table(
        title=Text(title + marker, style="bold"),
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        header_style="bold cyan",
    )


def _cost_cell(usd: float, unpriced: int) -> Text:
    cell = Text(fmt.money(usd))
    if unpriced:
        cell.append(f" +{unpriced} unpriced", style="yellow")
    return cell


def stats_view(totals: Totals, warnings: int, demo: bool, scope: str = "") -> Table:
    table = _table("fdash — Droid usage" + (f" ({scope})" if scope else ""), demo)
    table.add_column("")
    table.add_column("", justify="right")
    tokens = totals.tokens
    rows = [
        ("Sessions", fmt.exact(totals.sessions) + f"  ({totals.empty_sessions} empty)"),
        ("Projects", fmt.exact(totals.projects)),
        ("Groups", fmt.exact(totals.groups)),
        ("User prompts", fmt.exact(totals.user_prompts)),
        ("Active time", fmt.duration(totals.active_time_ms)),
        ("Input tokens", fmt.exact(tokens.input)),
        ("Output tokens", fmt.exact(tokens.output)),
        ("Cache write tokens", fmt.exact(tokens.cache_write)),
        ("Cache read tokens", fmt.exact(tokens.cache_read)),
        ("Thinking tokens", fmt.exact(tokens.thinking)),
        ("Total tokens", fmt.exact(tokens.total)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    table.add_row(Text("Estimated cost", style="bold"), _cost_cell(totals.cost_usd, totals.unpriced_sessions))
    if totals.unpriced_models:
        models = ", ".join(one_line(m, 60) for m in totals.unpriced_models)
        table.add_row(Text("Unpriced models", style="yellow"), Text(models, style="yellow"))
    if warnings:
        table.add_row(Text("Warnings", style="yellow"), Text(f"{warnings} (see --verbose)", style="yellow"))
    return table


def tokens_view(buckets: list[Bucket], demo: bool, sources: dict[str, str]) -> Table:
    table = _table("Tokens by model", demo)
    for name in ("Model", "Sessions", "Input", "Output", "Cache write", "Cache read", "Thinking", "Total", "Est. cost", "Price"):
        table.add_column(name, justify="left" if name in ("Model", "Price") else "right")
    for b in buckets:
        t = b.tokens
        table.add_row(
            Text(one_line(b.key, 48)),
            fmt.exact(b.sessions),
            fmt.tokens(t.input),
            fmt.tokens(t.output),
            fmt.tokens(t.cache_write),
            fmt.tokens(t.cache_read),
            fmt.tokens(t.thinking),
            fmt.tokens(t.total),
            _cost_cell(b.cost_usd, b.unpriced_sessions),
            Text(sources.get(b.key, "")),
        )
    return table


def groups_view(buckets: list[Bucket], demo: bool) -> Table:
    table = _table("Groups", demo)
    for name in ("Group", "Projects", "Sessions", "Tokens", "Est. cost", "Cache hit", "Active time"):
        table.add_column(name, justify="left" if name == "Group" else "right")
    for b in buckets:
        table.add_row(
            Text(one_line(b.key, 40)),
            fmt.exact(b.projects),
            fmt.exact(b.sessions),
            fmt.tokens(b.tokens.total),
            _cost_cell(b.cost_usd, b.unpriced_sessions),
            fmt.percent(b.tokens.cache_hit_ratio),
            fmt.duration(b.active_time_ms),
        )
    return table


def projects_view(buckets: list[Bucket], demo: bool) -> Table:
    table = _table("Projects", demo)
    for name in ("Project", "Group", "Sessions", "Tokens", "Active time", "Est. cost"):
        table.add_column(name, justify="left" if name in ("Project", "Group") else "right")
    for b in buckets:
        table.add_row(
            Text(one_line(b.key, 60)),
            Text(one_line(b.group, 24)),
            fmt.exact(b.sessions),
            fmt.tokens(b.tokens.total),
            fmt.duration(b.active_time_ms),
            _cost_cell(b.cost_usd, b.unpriced_sessions),
        )
    return table


def sessions_view(entries: list[Entry], demo: bool) -> Table:
    table = _table("Sessions (newest first)", demo)
    for name in ("", "Last active", "Title", "Project", "Model", "Prompts", "Tokens", "Est. cost", "Active", "ID"):
        table.add_column(name, justify="right" if name in ("Prompts", "Tokens", "Est. cost", "Active") else "left")
    for e in entries:
        s = e.session
        star = Text("★", style="bold yellow") if e.favorite else Text("")
        table.add_row(
            star,
            fmt.when(s.last_at_ms),
            Text(one_line(s.title, 48) or "(untitled)", style="bold yellow" if e.favorite else ""),
            Text(one_line(s.project, 40)),
            Text(one_line(e.model, 28)),
            fmt.exact(s.user_prompts),
            fmt.tokens(s.usage.total),
            Text(fmt.money(e.cost.usd), style="yellow" if e.cost.usd is None else ""),
            fmt.duration(s.active_time_ms),
            Text(s.id, style="dim"),
        )
    return table


def problems_view(problems) -> Group:
    lines = [Text(f"warning: {one_line(p.path)}: {one_line(p.reason)}", style="yellow") for p in problems]
    return Group(*lines)
