"""`fdash stats`, `tokens`, `groups` and `projects`: totals and per-bucket tables."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from fdash import fmt
from fdash.cli.views.cells import cost_cell, credits_cell, report_table
from fdash.cli.views.fitted import Col, FittedTable
from fdash.core.aggregate import Bucket, Totals
from fdash.core.models import TOKEN_KINDS, TOKEN_LABELS
from fdash.core.text import one_line


def stats_view(totals: Totals, warnings: int, scope: str = "", suggestions: dict[str, str] | None = None) -> Table:
    """`suggestions`: custom model id → the model droid's settings.json names for it."""
    table = report_table("fdash — Droid usage" + (f" ({scope})" if scope else ""))
    table.add_column("")
    table.add_column("", justify="right")
    tokens = totals.tokens
    rows = [
        ("Sessions", fmt.exact(totals.sessions) + f"  ({totals.empty_sessions} empty)"),
        ("Projects", fmt.exact(totals.projects)),
        ("Groups", fmt.exact(totals.groups)),
        ("User prompts", fmt.exact(totals.user_prompts)),
        ("Active time", fmt.duration(totals.active_time_ms)),
        *((f"{TOKEN_LABELS[kind]} tokens" + (" (part of output)" if kind == "thinking" else ""),
           fmt.exact(getattr(tokens, kind))) for kind in TOKEN_KINDS),
        ("Total tokens", fmt.exact(tokens.total)),
        ("Cache hit (read / (read + input))", fmt.percent(tokens.cache_hit_ratio)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    table.add_row(Text("Estimated cost", style="bold"), cost_cell(totals.cost_usd, totals.unpriced_sessions))
    credits = credits_cell(totals)
    if totals.no_credit_sessions:
        credits.append(" without a record", style="dim")
    table.add_row(Text("Factory credits", style="bold"), credits)
    if totals.unpriced_models:
        models = ", ".join(one_line(m, 60) for m in totals.unpriced_models)
        table.add_row(Text("Unpriced models", style="yellow"), Text(models, style="yellow"))
        for model in totals.unpriced_models:
            if model in (suggestions or {}):
                line = Text(f'[pricing.custom] "{one_line(model, 60)}" = "{one_line(suggestions[model], 60)}"')
                line.append("  (from droid's settings.json today: check it was that model then)", style="dim")
                table.add_row(Text("Suggested estimate", style="dim"), line)
    if warnings:
        table.add_row(Text("Warnings", style="yellow"), Text(f"{warnings} (see --verbose)", style="yellow"))
    return table


def tokens_view(buckets: list[Bucket], sources: dict[str, str]) -> FittedTable:
    """Tokens by model; narrower, the price source, then token kinds go (least useful
    first); the model shortens; totals, cost and credits are never cut."""
    kinds = [Col(TOKEN_LABELS[kind], [fmt.tokens(getattr(b.tokens, kind)) for b in buckets], "right",
                 drop={"thinking": 9, "cache_write": 8, "input": 7, "output": 6, "cache_read": 5}[kind])
             for kind in TOKEN_KINDS]
    return FittedTable("Tokens by model", [
        Col("Model", [Text(one_line(b.key, 48)) for b in buckets], shrink=True, least=10, comfort=24),
        Col("Sessions", [fmt.exact(b.sessions) for b in buckets], "right", drop=3),
        *kinds,
        Col("Total", [fmt.tokens(b.tokens.total) for b in buckets], "right"),
        Col("Est. cost", [cost_cell(b.cost_usd, b.unpriced_sessions) for b in buckets], "right"),
        Col("Credits", [credits_cell(b) for b in buckets], "right", drop=4),
        Col("Price", [Text(sources.get(b.key, "")) for b in buckets], drop=10),
    ])


def groups_view(buckets: list[Bucket]) -> FittedTable:
    return FittedTable("Groups", [
        Col("Group", [Text(one_line(b.key, 40)) for b in buckets], shrink=True, least=8, comfort=16),
        Col("Projects", [fmt.exact(b.projects) for b in buckets], "right", drop=6),
        Col("Sessions", [fmt.exact(b.sessions) for b in buckets], "right", drop=2),
        Col("Tokens", [fmt.tokens(b.tokens.total) for b in buckets], "right"),
        Col("Est. cost", [cost_cell(b.cost_usd, b.unpriced_sessions) for b in buckets], "right"),
        Col("Credits", [credits_cell(b) for b in buckets], "right", drop=3),
        Col("Cache hit", [fmt.percent(b.tokens.cache_hit_ratio) for b in buckets], "right", drop=5),
        Col("Active time", [fmt.duration(b.active_time_ms) for b in buckets], "right", drop=4),
    ])


def projects_view(buckets: list[Bucket]) -> FittedTable:
    return FittedTable("Projects", [
        Col("Project", [Text(one_line(b.key, 60)) for b in buckets], shrink=True, least=12, comfort=30,
            path=True),
        Col("Group", [Text(one_line(b.group, 24)) for b in buckets], shrink=True, least=6, comfort=10, drop=5),
        Col("Sessions", [fmt.exact(b.sessions) for b in buckets], "right", drop=2),
        Col("Tokens", [fmt.tokens(b.tokens.total) for b in buckets], "right"),
        Col("Active time", [fmt.duration(b.active_time_ms) for b in buckets], "right", drop=4),
        Col("Est. cost", [cost_cell(b.cost_usd, b.unpriced_sessions) for b in buckets], "right"),
        Col("Credits", [credits_cell(b) for b in buckets], "right", drop=3),
    ])
