#!/usr/bin/env python3
"""End-to-end run of the real `python3 -m fdash -d DIR` in tmux, asserting on the screen
and on the files it writes (.favorites, the renamed transcript, the config file).

    python3 tools/tmux_e2e.py [DIR]     # default: 80 generated sessions in a temp folder

Used by tests/tui/test_e2e_tmux.py. tmux runs on a private socket (-L), so a tmux server
you have running is never touched; HOME/XDG dirs point into a temp folder. Every wait
polls the pane (capture-pane) until the expected text shows up; there are no fixed sleeps.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: `tools` and `fdash` from this checkout
COLUMNS, ROWS = 140, 45
CONFIG = "# e2e config: this comment must survive\n[display]\ndark_mode = true  # keep me\n"
NEW_TITLE = "E2E renamed title"


class Tmux:
    def __init__(self, workdir: Path, columns: int = COLUMNS, rows: int = ROWS):
        self.columns, self.rows = columns, rows
        self.socket = f"fdash-e2e-{os.getpid()}-{int(time.time() * 1000) % 100000}"
        self.workdir = workdir
        self.target = "e2e"

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=20,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: list[str], env: dict[str, str]) -> None:
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.target, "-x", str(self.columns), "-y", str(self.rows),
                  "-c", str(REPO), *env_args, *command)
        self.tmux("set-option", "-t", self.target, "remain-on-exit", "on")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.target)

    def send(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def wait_for(self, what, timeout: float = 30.0) -> str:
        """Poll the pane until `what` (text, or a predicate on the screen) holds."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if what(screen) if callable(what) else what in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what!r}; the screen was:\n{screen}")

    def stop(self) -> None:
        self.tmux("kill-server", check=False)


def _first_row(screen: str) -> int:
    """The screen line of the first session row (below the column header)."""
    lines = screen.splitlines()
    return next(i for i, line in enumerate(lines) if "Last active" in line) + 1


def wait_file(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for a file change")


def transcripts(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*.jsonl") if p.is_file() and not p.is_symlink()}


def _environment(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONPATH": str(REPO),
            "TERM": "xterm-256color", "TZ": "UTC", "LANG": "C.UTF-8"}


def sessions_screen(root: Path, workdir: Path, columns: int, rows: int) -> str:
    """The Sessions tab of the real fdash in a tmux window of that size."""
    tmux = Tmux(workdir, columns, rows)
    try:
        tmux.start([sys.executable, "-m", "fdash", "-d", str(root)], _environment(workdir / "home"))
        tmux.wait_for("sessions from")  # the data is in
        tmux.send("4")
        return tmux.wait_for("Last active ▼")
    finally:
        tmux.stop()


def run_scenario(root: Path, workdir: Path) -> None:
    """Drive all seven tabs, the Activity tab's toggles, a search, a favorite toggle, a
    title edit and a settings change."""
    home = workdir / "home"
    config = home / ".config" / "factory-dashboard" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(CONFIG, encoding="utf-8")
    past = time.time() - 3600  # an hour old: not "live", so renaming is allowed
    for path in root.rglob("*.jsonl"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (past, past))
    before = transcripts(root)
    favorites = root / ".favorites"
    favorites_before = favorites.read_bytes() if favorites.exists() else b""

    env = _environment(home)
    tmux = Tmux(workdir)
    try:
        exit_file = workdir / "exit-status"
        command = (
            '"$0" -m fdash -d "$1"; echo $? > "$2"'  # the shell reaps fdash and keeps its status
        )
        tmux.start(["sh", "-c", command, sys.executable, str(root), str(exit_file)], env)
        tmux.wait_for("Top projects by tokens")  # the data is in
        for key, text in (("2", "Cache hit"), ("3", "Active time"), ("4", "Last active"), ("5", "Favorites"),
                          ("6", "Heatmap weeks"), ("7", "Sessions of the day"), ("1", "Top projects")):
            tmux.send(key)
            tmux.wait_for(text)

        # a favorite toggle: the selected (first) session gets a star and goes into .favorites
        tmux.send("4")
        screen = tmux.wait_for("Last active ▼")
        first_row = _first_row(screen)
        was_favorite = screen.splitlines()[first_row].startswith("★")
        tmux.send("f")
        screen = tmux.wait_for("favorite removed" if was_favorite else "is a favorite")
        assert wait_file(lambda: favorites.exists() and favorites.read_bytes() != favorites_before)
        assert screen.splitlines()[first_row].startswith("★") != was_favorite, screen

        # a title edit in the dialog: only the first line of one transcript changes
        tmux.send("e")
        tmux.wait_for("Rename session")
        tmux.send("C-u")
        tmux.send(NEW_TITLE, literal=True)
        tmux.send("Enter")
        tmux.wait_for(lambda s: "Rename session" not in s and NEW_TITLE in s)
        after = transcripts(root)
        changed = [p for p in before if after.get(p) != before[p]]
        assert len(changed) == 1, changed
        old, new = before[changed[0]].split(b"\n", 1), after[changed[0]].split(b"\n", 1)
        assert old[1] == new[1] and NEW_TITLE.encode() in new[0] and old[0] != new[0]

        # a settings change: Dark mode off, saved with the comments kept
        tmux.send("6")
        tmux.wait_for("Dark mode")
        for _ in range(4):  # Default tab → Default sort → grouping → Hide empty → Dark mode
            tmux.send("j")
        tmux.send("Enter")
        text = wait_file(lambda: "dark_mode = false" in config.read_text(encoding="utf-8")
                         and config.read_text(encoding="utf-8"))
        assert text == CONFIG.replace("dark_mode = true", "dark_mode = false"), text
        tmux.wait_for("saved to")

        # the Activity tab: cost per week, then a session of the selected week in Sessions
        tmux.send("7")
        tmux.wait_for("Projects × weeks")
        tmux.send("m", "u")
        tmux.wait_for("cost per week")
        week = " – "  # the selected week's line: "▶ 2026-11-16 – 2026-11-22 …"
        tmux.wait_for(lambda s: any(ln.startswith(" ▶ ") and week in ln for ln in s.splitlines()))
        tmux.send("Enter")
        tmux.wait_for("Last active ▼")

        # a search typed in the search bar, its first result shown in Sessions
        tmux.send("/")
        tmux.wait_for("Search:")
        tmux.send("add tests", literal=True)
        tmux.wait_for(lambda s: "sessions match “add tests”" in s or "session matches" in s)
        tmux.send("Enter")
        tmux.wait_for("Enter show in Sessions")
        tmux.send("Enter")
        tmux.wait_for("Last active ▼")

        tmux.send("q")
        status = wait_file(lambda: exit_file.exists() and exit_file.read_text().strip(), 15)
        assert status == "0", f"fdash exited with {status}:\n{tmux.screen()}"
    finally:
        tmux.stop()


def _generate(root: Path, sessions: int = 80) -> None:
    from tools.sessiongen import generate

    generate(root, sessions=sessions, seed=9, avg_kb=4)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if shutil.which("tmux") is None:
        print("tmux_e2e: tmux is not installed", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="fdash-e2e-"))
    try:
        root = workdir / "sessions"
        if args:
            shutil.copytree(args[0], root, symlinks=True)
        else:
            _generate(root)
        run_scenario(root, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("tmux_e2e: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
