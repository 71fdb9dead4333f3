"""Projects (working directories) and droid's encoding of a cwd into a folder name."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from .primitives import new_uuid
from .vocabulary import words

_DRIVE = re.compile(r"^([A-Za-z]):(?=[\\/]|$)")


def encode_cwd(cwd: str) -> str:
    """Droid's (lossy) project folder name for a working directory."""
    m = _DRIVE.match(cwd)
    if m:
        cwd = "\\" + m.group(1) + cwd[2:]
    return cwd.replace("/", "-").replace("\\", "-")


def split_path(cwd: str) -> list[str]:
    return [p for p in re.split(r"[\\/]", cwd) if p]


@dataclass
class Project:
    cwd: str
    owner: str
    host_id: str
    os: str  # linux | mac | windows
    weight: float = 1.0

    @property
    def folder(self) -> str:
        return encode_cwd(self.cwd)

    @property
    def group(self) -> str:
        parts = split_path(self.cwd)
        return parts[-2] if len(parts) > 1 else ""

    @property
    def name(self) -> str:
        return split_path(self.cwd)[-1]

    @property
    def sep(self) -> str:
        return "\\" if self.os == "windows" else "/"


GROUPS = ("acme", "oss", "client-work", "infra", "research", "sandbox", "data.team", "My Stuff")
NAME_HEADS = words(
    "api web shop billing auth ml etl docs cli mobile dashboard search notifier parser infra "
    "site bot sdk"
)
NAME_TAILS = (
    "",
    "-service",
    "-app",
    ".js",
    "-v2",
    " tools",
    " (old)",
    ".core",
    "-worker",
    "_legacy",
)
SPECIAL_NAMES = (
    "fdash",
    "café-pos",
    "api.gateway",
    "data pipeline",
    "web-shop v2",
    "notes.md-site",
)
HOSTS = {"linux": ("ana", "Ubuntu"), "mac": ("bo", "macOS"), "windows": ("cy", "Windows")}
SYSTEMS = {  # os -> (system info line, shell) as shown in the injected context
    "linux": ("linux 6.8.0-49-generic", "bash"),
    "mac": ("darwin 24.6.0", "zsh"),
    "windows": (
        "win32 10.0.26200",
        "Windows PowerShell 5.1 (legacy — does NOT support && or ||; use ; instead)",
    ),
}


def make_projects(count: int, rng: random.Random) -> list[Project]:
    host_ids = {os_: new_uuid(rng) for os_ in HOSTS}

    def project(cwd: str, os_: str) -> Project:
        return Project(cwd, HOSTS[os_][0], host_ids[os_], os_)

    projects = [
        project("/home/ana/projects/my-app", "linux"),
        project("/home/ana/projects/my/app", "linux"),  # same encoded folder as my-app
        project("C:\\Users\\cy\\source\\repos\\Contoso.Web", "windows"),
        project("C:\\Users\\cy\\Documents\\dev tools\\ps-scripts", "windows"),
    ]
    seen = {p.cwd for p in projects}
    groups = GROUPS[: max(2, min(len(GROUPS), count // 5))]
    specials = list(SPECIAL_NAMES)
    while len(projects) < count:
        if specials and rng.random() < 0.3:
            name = specials.pop(0)
        else:
            name = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        group = rng.choice(groups)
        if rng.random() < 0.6:
            cwd, os_ = f"/home/ana/projects/{group}/{name}", "linux"
        else:
            cwd, os_ = f"/Users/bo/work/{group}/{name}", "mac"
        if cwd not in seen:
            seen.add(cwd)
            projects.append(project(cwd, os_))
    order = list(range(len(projects)))
    rng.shuffle(order)
    for rank, i in enumerate(order):  # Zipf-like popularity
        projects[i].weight = 1.0 / (rank + 1) ** 0.8
    return projects


def project_count(sessions: int) -> int:
    return max(4, round(40 * math.sqrt(max(sessions, 1) / 3000)))
