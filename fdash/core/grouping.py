"""Which group a project belongs to.

The user's `[[grouping.rules]]` are tried in order (shell-style glob on the project
path, `/` or `\\` separators both accepted); the first match names the group. Without
a match the group is the name of the project's parent folder:
`/home/ana/projects/eyproj/api` → `eyproj`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time: a warm `stats` groups without the config's classes
    from fdash.core.config import GroupRule

NO_GROUP = "(none)"


def parent_name(project: str) -> str:
    windows = "\\" in project or (len(project) > 1 and project[1] == ":")
    path = PureWindowsPath(project) if windows else PurePosixPath(project)
    if not path.name:  # a root or a bare name
        return NO_GROUP
    parent = path.parent
    return parent.name or NO_GROUP


class Grouper:
    def __init__(self, rules: list[GroupRule] | tuple[GroupRule, ...] = ()):
        self.rules = tuple(rules)
        self.group_of = lru_cache(maxsize=None)(self._group_of)

    def _group_of(self, project: str) -> str:
        slashed = project.replace("\\", "/")
        for rule in self.rules:
            if fnmatchcase(project, rule.pattern) or fnmatchcase(slashed, rule.pattern):
                return rule.group
        return parent_name(project)
