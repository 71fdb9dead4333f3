"""`fdash stats --json` of one sessions folder with no config file, from the index's
columns: no attrs, no `Session` objects, no argparse (fdash.cli tries this first).

The numbers are those of `export.stats_record(aggregate.totals(entries), problems)` of
the full path, computed from the columns with the same primitives (the project and group
rules, `prices.builtin_price` and `prices.usd`, summed in the same order);
tests/test_quick.py checks both give the same bytes on every fixture. A new figure in
`stats --json` is added to both, or there (a test says so).

When a session changed (or there is no usable index) the index reads what changed, as
the full path would, and the sums are taken from the columns it returns.
"""

from __future__ import annotations

import gc

from fdash.core import indexfile
from fdash.core.favorites import load_favorites
from fdash.core.grouping import parent_name
from fdash.core.prices import builtin_price, usd
from fdash.core.problems import Problem
from fdash.core.prompts import HANDOFF  # a sub-agent's first prompt in older droids
from fdash.core.scan import scan, still

# what `record` reads
USED = ("cwd", "model", "resolved_model", "models", "tokens", "active_time_ms", "user_prompts", "title",
        "calling_session_id", "subagent", "credits", "parent_id", "inherits_tokens", "handoff")
UNKNOWN = "(unknown)"  # the project or model of a session that names none (as models.Session, Entry)
SEVERAL_MODELS = "several models"  # as models.SEVERAL_MODELS
NO_SESSIONS = "no droid session files (<id>.jsonl) in this folder"  # as catalog's warning


def stats(root: str) -> tuple[dict, list[Problem]]:
    """(the `stats --json` record, the warnings) of the sessions folder `root`."""
    collecting = gc.isenabled()
    gc.disable()  # thousands of objects are made and all kept: nothing for the collector
    try:
        stored = indexfile.load(root, only=USED)
        if stored is not None and len(stored.rows) == len(stored.columns["id"]) and still(indexfile.listing(stored)):
            # nothing changed and every row passed its checks: no scan
            problems, columns = [], stored.columns
        else:
            result = scan(root)
            problems = list(result.problems)
            columns = _columns(root, stored, list(result.sessions), result.listing, problems)
        if not columns["id"] and not problems:
            problems.append(Problem(root, NO_SESSIONS))
        problems += [Problem(*p) for p in _flat(columns["problems"])]
        load_favorites(root, problems, loads=_strict_loads)
        transcripts = [key is not None for key in columns["transcript"]]
        return record(columns, transcripts, len(problems)), problems
    finally:
        if collecting:
            gc.enable()


def _columns(root: str, stored, files, listing: tuple, problems: list[Problem]) -> dict[str, list]:
    if stored is not None and indexfile.unchanged(stored, files) and not indexfile.listing_news(stored, listing):
        return stored.columns  # nothing changed since the index was written
    from fdash.core.index import Index  # noqa: PLC0415 (only when something must be read or written)

    index = Index(root, stored=stored)
    try:
        return index.read_table(files, listing=listing).columns
    finally:
        unsaved = index.save()
        if unsaved is not None:
            problems.append(unsaved)


class Unsure(Exception):
    """The standard library's JSON and orjson (which the full way uses) might read this
    differently: the full way decides."""


def _refuse(name: str):
    raise Unsure(name)


def _strict_loads(data: bytes) -> list:
    """A `.favorites` array of ids, decoded by the standard library (orjson costs more to
    import than the rest of a warm start) where orjson would decode it the same: UTF-8,
    no NaN, an array of texts that are valid Unicode. Anything else raises Unsure."""
    import json  # noqa: PLC0415

    try:
        items = json.loads(data.decode("utf-8"), parse_constant=_refuse)
    except (ValueError, RecursionError):
        raise Unsure("not plain JSON") from None
    if type(items) is not list or not all(type(i) is str for i in items):
        raise Unsure("not an array of texts")
    try:
        "".join(items).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: orjson refuses it
        raise Unsure("not valid Unicode") from None
    return items


def dumps(data: dict) -> bytes:
    """`orjson.dumps(data, option=OPT_INDENT_2)`, by the standard library where both write
    the same bytes (texts, integers, lists, and floats not in exponent form)."""
    if any(type(v) is float and "e" in repr(v) for v in data.values()):
        import orjson  # noqa: PLC0415

        return orjson.dumps(data, option=orjson.OPT_INDENT_2)
    import json  # noqa: PLC0415

    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def _flat(lists):
    return [item for items in lists for item in items]


def record(columns: dict[str, list], transcripts: list[bool], warnings: int) -> dict:
    """The stats record of these sessions (all of them, as read; no filters);
    `transcripts`: whether each has one."""
    folders, cwds = columns["folder"], columns["cwd"]
    adopted = _folder_cwds(folders, cwds, transcripts)
    projects = {
        cwd or (None if has else adopted.get(folder)) or folder or UNKNOWN
        for cwd, folder, has in zip(cwds, folders, transcripts)
    }
    tokens, credits_of = _own(columns)
    present = [t for t in tokens if t is not None]
    sums = [sum(kind) for kind in zip(*present)] if present else [0] * 5
    cost, unpriced, unpriced_models = 0.0, 0, set()
    prices: dict = {}

    def price(name):
        if name not in prices:
            found = builtin_price(name)
            prices[name] = found[0] if found else None
        return prices[name]

    for t, resolved, model, models in zip(tokens, columns["resolved_model"], columns["model"], columns["models"]):
        if t is None or not any(t[:4]):
            continue  # no tokens: costs nothing, priced or not
        name = resolved or model
        found = price(name)
        if found is None or (len(models) > 1 and any(price(m) != found for m in models)):
            unpriced += 1
            unpriced_models.add(SEVERAL_MODELS if len(models) > 1 else name or UNKNOWN)
        else:
            cost += usd(found, t)
    prompts = columns["user_prompts"]
    credits = [c for c in credits_of if c is not None]
    subagents = [bool(calling or tagged or handoff or title.startswith(HANDOFF)) for calling, tagged, handoff, title
                 in zip(columns["calling_session_id"], columns["subagent"], columns["handoff"], columns["title"])]
    return {
        "sessions": len(columns["id"]),
        "projects": len(projects - {UNKNOWN}),
        "groups": len({parent_name(p) for p in projects}),
        "input_tokens": sums[0],
        "output_tokens": sums[1],
        "cache_creation_tokens": sums[2],
        "cache_read_tokens": sums[3],
        "thinking_tokens": sums[4],
        "total_tokens": sum(sums[:4]),  # thinking is part of output (docs/FORMAT.md)
        "cost_usd": round(cost, 6),
        "unpriced_sessions": unpriced,
        "unpriced_models": sorted(unpriced_models),
        "factory_credits": round(float(sum(credits)), 6),  # as export.credit_fields
        "sessions_without_credits": len(columns["id"]) - len(credits),
        "active_time_ms": sum(columns["active_time_ms"]),
        "user_prompts": sum(prompts),
        "empty_sessions": sum(1 for n, sub in zip(prompts, subagents) if n == 0 and not sub),
        "warnings": warnings,
    }


def _own(columns: dict[str, list]) -> tuple[list, list]:
    """Each session's tokens and credits less what /compress made it inherit from its
    parent (as catalog.subtract_inherited)."""
    tokens, credits = list(columns["tokens"]), list(columns["credits"])
    row = {sid: i for i, sid in enumerate(columns["id"])}
    for i, (inherits, parent) in enumerate(zip(columns["inherits_tokens"], columns["parent_id"])):
        p = row.get(parent) if inherits and parent else None
        if p is None or columns["tokens"][p] is None or tokens[i] is None:
            continue
        tokens[i] = tuple(max(0, a - b) for a, b in zip(columns["tokens"][i], columns["tokens"][p]))
        if credits[i] is not None and columns["credits"][p] is not None:
            credits[i] = max(0.0, columns["credits"][i] - columns["credits"][p])
    return tokens, credits


def _folder_cwds(folders: list[str], cwds: list, transcripts: list[bool]) -> dict[str, str]:
    """A project folder's most common cwd (as catalog.adopt_orphans), for the folders that
    hold a settings file without a transcript."""
    wanted = {folder for folder, has in zip(folders, transcripts) if folder and not has}
    counts: dict[str, dict[str, int]] = {}
    for folder, cwd in zip(folders, cwds):
        if folder in wanted and cwd:
            here = counts.setdefault(folder, {})
            here[cwd] = here.get(cwd, 0) + 1
    return {folder: max(c, key=lambda cwd: (c[cwd], cwd)) for folder, c in counts.items()}
