"""`fdash stats`, `tokens`, `groups`, `projects`: totals, and totals by model, group and
project (of the days asked for with --since/--until)."""

from __future__ import annotations

from fdash.cli.context import Context
from fdash.cli.flags import add_limit, add_range_flags
from fdash.core import aggregate, export


def register(command) -> None:
    p = command("stats", "totals: sessions, projects, tokens, cost, active time", stats)
    p.add_argument("--group", help="only sessions of this group")
    p.add_argument("--project", help="only sessions of this project (path or folder name)")
    add_range_flags(p)
    p = command("tokens", "tokens and cost by model", tokens)
    add_limit(p, "models")
    add_range_flags(p)
    add_range_flags(command("groups", "tokens and cost by group", groups))
    add_range_flags(command("projects", "tokens and cost by project", projects))


def stats(ctx: Context) -> int:
    with_budget = not ctx.json and ctx.config.budget.any_limit
    if with_budget:
        ctx.window()  # a bad --tz is said before the sessions are read
    entries, time_scope = ctx.entries()
    entries, scope = _only(entries, ctx.args.group, ctx.args.project)
    catalog = ctx.catalog()
    _say_unknown_names(catalog.entries, ctx.args.group, ctx.args.project)
    totals = aggregate.totals(entries)
    if ctx.json:
        data = export.stats_record(totals, catalog.problems)
        if time_scope:
            data.update(time_scope.record())
        return ctx.print_json(data)
    from fdash.cli.views.budget import budget_view
    from fdash.cli.views.totals import stats_view

    if time_scope:
        scope = ", ".join(filter(None, (scope, time_scope.label())))
    suggestions = {}
    if any(m.lower().startswith("custom:") for m in totals.unpriced_models):
        from fdash.core.paths import factory_home
        from fdash.core.pricing import custom_model_suggestions

        suggestions = custom_model_suggestions(factory_home() / ".factory" / "settings.json")
    ctx.show(stats_view(totals, len(catalog.problems), scope, suggestions))
    if with_budget and not time_scope:
        from fdash.core.budget import budget_status

        config = ctx.config
        ctx.show(budget_view(budget_status(catalog.entries, config.budget, config.reports,
                                              ctx.window().zone)))
    return 0


def tokens(ctx: Context) -> int:
    entries, time_scope = ctx.entries()
    buckets = aggregate.by_model(entries)[: ctx.limit]
    sources = _price_sources(entries)
    if ctx.json:
        rows = []
        for b in buckets:
            row = export.bucket_record(b, "model")
            row["price_source"] = sources.get(b.key, "none")
            rows.append(row)
        return ctx.print_json(rows)
    from fdash.cli.views.totals import tokens_view

    return ctx.show(tokens_view(buckets, sources), _note(time_scope))


def groups(ctx: Context) -> int:
    return _buckets(ctx, "group", aggregate.by_group)


def projects(ctx: Context) -> int:
    return _buckets(ctx, "project", aggregate.by_project)


def _buckets(ctx: Context, key: str, by) -> int:
    """Tokens and cost by `key` ("group" or "project"), largest first."""
    entries, time_scope = ctx.entries()
    buckets = by(entries)
    if ctx.json:
        return ctx.print_json([export.bucket_record(b, key) for b in buckets])
    from fdash.cli.views.totals import groups_view, projects_view

    view = groups_view if key == "group" else projects_view
    return ctx.show(view(buckets), _note(time_scope))


def _note(time_scope) -> str | None:
    return time_scope.note() if time_scope else None


def _only(entries: list, group: str | None, project: str | None) -> tuple[list, str]:
    """The entries of one group and/or project, and a label saying so."""
    scope = []
    if group is not None:
        entries = [e for e in entries if e.group == group]
        scope.append(f"group {group}")
    if project is not None:
        def matches(e) -> bool:
            p = e.session.project
            return p == project or p.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] == project

        entries = [e for e in entries if matches(e)]
        scope.append(f"project {project}")
    return entries, ", ".join(scope)


def _say_unknown_names(entries: list, group: str | None, project: str | None) -> None:
    """A --group / --project that names no group or project of the history (whatever
    the days asked for) is said on stderr with the names it may have meant; the report
    (0 sessions) and the exit code stay as they are."""
    import difflib
    import sys

    from fdash.core.text import notice

    if group is not None:
        groups = sorted({e.group for e in entries})
        if group not in groups:
            close = difflib.get_close_matches(group, groups, n=5, cutoff=0.5)
            listed = close if close and len(groups) > 12 else groups[:12]
            more = f" (+{len(groups) - len(listed)} more: fdash groups)" if len(groups) > len(listed) else ""
            print(notice(f"no group named {group!r}; known groups: {', '.join(listed) or '(none)'}{more}"),
                  file=sys.stderr)
    if project is not None and not _only(entries, None, project)[0]:
        projects = {e.session.project for e in entries}
        names = {p.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1]: p for p in projects}
        close = [n for n in sorted(names) if project.lower() in n.lower()]
        close += difflib.get_close_matches(project, list(names), n=5, cutoff=0.4)
        close = list(dict.fromkeys(close))[:5]
        hint = f"; closest: {', '.join(close)}" if close else "; fdash projects lists them"
        print(notice(f"no project named {project!r}{hint}"), file=sys.stderr)


def _price_sources(entries) -> dict[str, str]:
    """model → where its prices came from ("builtin", "config", "builtin/config", …)."""
    sources: dict[str, set[str]] = {}
    for e in entries:
        if e.cost.source != "none":
            sources.setdefault(e.model, set()).add(e.cost.source)
    return {model: "/".join(sorted(s)) for model, s in sources.items()}
