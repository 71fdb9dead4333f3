"""What each key does, per tab: the one table the footer and the help overlay show."""

from __future__ import annotations

TAB_TITLES = {
    "overview": "Overview",
    "groups": "Groups",
    "projects": "Projects",
    "sessions": "Sessions",
    "favorites": "Favorites",
    "settings": "Settings",
    "activity": "Activity",
}

GLOBAL_KEYS = [
    ("1-7", "tabs"),
    ("/", "search prompts"),
    ("d", "dark/light"),
    ("r", "refresh"),
    ("w", "warnings"),
    ("?", "help"),
    ("q", "quit"),
]

SCROLL_KEYS = [("↑↓ j k", "scroll"), ("PgUp PgDn Home End", "page / top / bottom")]

SESSION_KEYS = [
    ("↑↓ j k", "move"),
    ("Tab", "prompts pane"),
    ("s", "sort date/tokens/duration"),
    ("o", "reverse order"),
    ("g", "group by none/project/group/model"),
    ("h", "hide empty sessions (no prompt typed)"),
    ("a", "sub-agents under their parent"),
    ("F", "filter this list"),
    ("f", "favorite"),
    ("e", "edit title"),
    ("c", "connect (resume in droid)"),
    ("PgUp PgDn Home End", "page / first / last"),
    ("Esc", "clear filter / leave prompts pane"),
    ("click", "header sorts, row selects"),
]

ACTIVITY_KEYS = [
    ("← → h l", "previous / next day"),
    ("m", "tokens / cost"),
    ("p", "per day / week / month"),
    ("↑↓ j k", "sessions of the day"),
    ("Enter", "show in Sessions"),
    ("c", "connect (resume in droid)"),
    ("Home End", "first / last day"),
]

SEARCH_KEYS = [
    ("↑↓ j k", "move"),
    ("Enter", "show in Sessions"),
    ("c", "connect (resume in droid)"),
    ("/", "edit the search"),
    ("Esc", "close"),
    ("PgUp PgDn Home End", "page / first / last"),
]

TAB_KEYS = {
    "overview": SCROLL_KEYS,
    "groups": SCROLL_KEYS,
    "projects": [
        ("↑↓ j k", "move"),
        ("s", "next sort column"),
        ("o", "reverse"),
        ("p g n t a c", "sort by project/group/sessions/tokens/active time/cost (again: reverse)"),
        ("PgUp PgDn Home End", "page / first / last"),
        ("click", "a header sorts by it (again: reverse)"),
    ],
    "sessions": SESSION_KEYS,
    "favorites": SESSION_KEYS,
    "settings": [
        ("↑↓ j k", "move"),
        ("Enter Space", "toggle / next value / edit"),
        ("← →", "previous / next value"),
        ("a", "add a model price"),
        ("x", "remove a model price"),
    ],
    "activity": ACTIVITY_KEYS,
}

OVERLAY_KEYS = [("↑↓ j k PgUp PgDn", "scroll"), ("Esc q", "close")]

PROJECT_SORT_KEYS = {
    "p": "project",
    "g": "group",
    "n": "sessions",
    "t": "tokens",
    "a": "active",
    "c": "cost",
}
