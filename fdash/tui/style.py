"""Dark and light themes: one palette each, seen by Rich (content) and prompt_toolkit (chrome).

Every color is explicit (truecolor, down-sampled by prompt_toolkit when the terminal has
fewer), so both themes are readable whatever the terminal's own background is.
"""

from __future__ import annotations

from functools import lru_cache

from attrs import frozen
from prompt_toolkit.styles import Style


@frozen
class Palette:
    name: str
    bg: str
    fg: str
    dim: str
    accent: str
    header: str
    favorite: str
    selected_bg: str
    selected_inactive_bg: str
    bar_bg: str
    warn: str
    error: str
    ok: str
    demo_bg: str
    panel_bg: str
    tokens: tuple[str, str, str, str, str]  # input, output, cache write, cache read, thinking
    heat: tuple[str, str, str, str, str]  # level 0 (no sessions) .. 4
    series: tuple[str, ...]  # distinct colors for groups in share bars


DARK = Palette(
    name="dark",
    bg="#16181d",
    fg="#d8dee9",
    dim="#8b93a1",
    accent="#61afef",
    header="#8fd3ff",
    favorite="#ffd75f",
    selected_bg="#2c3d63",
    selected_inactive_bg="#2a2d35",
    bar_bg="#2a2f3a",
    warn="#e5c07b",
    error="#ff6b6b",
    ok="#98c379",
    demo_bg="#b3261e",
    panel_bg="#1d2027",
    tokens=("#61afef", "#c678dd", "#e5c07b", "#56b6c2", "#e06c75"),
    heat=("#262b33", "#0e4429", "#006d32", "#26a641", "#39d353"),
    series=("#61afef", "#c678dd", "#e5c07b", "#56b6c2", "#e06c75", "#98c379", "#d19a66", "#8b93a1"),
)

LIGHT = Palette(
    name="light",
    bg="#fbfbfb",
    fg="#1f2328",
    dim="#5c6370",
    accent="#0550ae",
    header="#0a3069",
    favorite="#8a5a00",
    selected_bg="#c8dcff",
    selected_inactive_bg="#e4e7ec",
    bar_bg="#e4e7ec",
    warn="#8a5a00",
    error="#c0131b",
    ok="#1a7f37",
    demo_bg="#c0131b",
    panel_bg="#f2f4f7",
    tokens=("#0969da", "#8250df", "#9a6700", "#1b7c83", "#cf222e"),
    heat=("#e4e7ec", "#9be9a8", "#40c463", "#30a14e", "#216e39"),
    series=("#0969da", "#8250df", "#9a6700", "#1b7c83", "#cf222e", "#1a7f37", "#bc4c00", "#6e7781"),
)


def palette(dark: bool) -> Palette:
    return DARK if dark else LIGHT


@lru_cache(maxsize=2)
def rich_theme(dark: bool):
    """Named styles for Rich renderables (views use names, never raw colors for text)."""
    from rich.theme import Theme

    p = palette(dark)
    return Theme(
        {
            "fd.text": p.fg,
            "fd.dim": p.dim,
            "fd.accent": p.accent,
            "fd.title": f"bold {p.header}",
            "fd.header": f"bold {p.header}",
            "fd.sorted": f"bold {p.accent} underline",
            "fd.fav": f"bold {p.favorite}",
            "fd.warn": p.warn,
            "fd.error": f"bold {p.error}",
            "fd.ok": p.ok,
            "fd.demo": f"bold #ffffff on {p.demo_bg}",
            "fd.group": f"bold {p.accent}",
            "fd.number": p.fg,
            "fd.bar.bg": p.bar_bg,
            "fd.key": f"bold {p.accent}",
            "fd.match": f"bold {p.bg} on {p.favorite}",  # search words in an excerpt
            "fd.bar": p.accent,
            "fd.bar.selected": f"bold {p.favorite}",
        },
        inherit=False,
    )


@lru_cache(maxsize=2)
def ptk_style(dark: bool) -> Style:
    """prompt_toolkit style for the chrome: tab bar, footer, dialogs, selection."""
    p = palette(dark)
    return Style.from_dict(
        {
            "": f"bg:{p.bg} {p.fg}",  # the default of every fragment
            "root": f"bg:{p.bg} {p.fg}",
            "tabbar": f"bg:{p.panel_bg} {p.dim}",
            "tabbar.app": f"bg:{p.panel_bg} bold {p.accent}",
            "tabbar.tab": f"bg:{p.panel_bg} {p.fg}",
            "tabbar.current": f"bg:{p.accent} {p.bg} bold",
            "tabbar.demo": f"bg:{p.demo_bg} #ffffff bold",
            "tabbar.warn": f"bg:{p.panel_bg} {p.warn} bold",
            "footer": f"bg:{p.panel_bg} {p.dim}",
            "footer.key": f"bg:{p.panel_bg} {p.accent} bold",
            "status": f"bg:{p.bg} {p.dim}",
            "status.info": f"{p.ok}",
            "status.error": f"{p.error} bold",
            "status.progress": f"{p.accent}",
            "status.live": f"bg:{p.bg} {p.ok}",
            "filterbar": f"bg:{p.panel_bg} {p.fg}",
            "filterbar.label": f"bg:{p.panel_bg} {p.accent} bold",
            "header": f"bold {p.header}",
            "header.sorted": f"bold {p.accent} underline",
            "row.selected": f"bg:{p.selected_bg}",
            "row.selected.inactive": f"bg:{p.selected_inactive_bg}",
            "separator": f"{p.dim}",
            "separator.focused": f"{p.accent}",
            "pane.title": f"bold {p.header}",
            "pane.title.focused": f"bold {p.accent} underline",
            "dialog": f"bg:{p.panel_bg} {p.fg}",
            "dialog frame.border": f"{p.accent}",
            "dialog frame.label": f"bold {p.accent}",
            "dialog.error": f"{p.error} bold",
            "dialog.hint": f"{p.dim}",
            "dialog.input": f"bg:{p.bg} {p.fg}",
            "overlay": f"bg:{p.panel_bg} {p.fg}",
            "overlay frame.border": f"{p.accent}",
            "overlay frame.label": f"bold {p.accent}",
            "frame.border": f"{p.accent}",
            "transcript.title": f"bold {p.header}",
            "transcript.facts": f"{p.dim}",
            "transcript.position": f"{p.accent}",
            "transcript.prompt.head": f"bold {p.accent}",
            "transcript.prompt": f"bold {p.fg}",
            "transcript.reply": f"{p.fg}",
            "transcript.thinking.head": f"italic {p.dim}",
            "transcript.thinking": f"italic {p.dim}",
            "transcript.tool.head": f"{p.header}",
            "transcript.tool": f"{p.dim}",
            "transcript.result.head": f"{p.dim}",
            "transcript.result": f"{p.dim}",
            "transcript.result.error": f"{p.error}",
            "transcript.context.head": f"{p.dim}",
            "transcript.context": f"{p.dim}",
            "transcript.notice": f"{p.warn}",
            "transcript.compaction.head": f"bold {p.warn}",
            "transcript.compaction": f"{p.dim}",
            "transcript.outcome.head": f"bold {p.error}",
            "transcript.todo.head": f"{p.ok}",
            "transcript.todo": f"{p.dim}",
            "transcript.bad.head": f"{p.warn}",
            "transcript.hit": f"bold {p.bg} bg:{p.favorite}",
        }
    )
