"""Hostile cases from the adversarial run of issue 15: times at the edge of a datetime,
lines that once made the reader quadratic, fields too long to keep whole."""

from __future__ import annotations

from fdash.demo.settings import settings_text

from .hostile_kit import HostileKit

EDGE_TIMES = ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59.999Z",
              "1969-12-31T23:59:59Z")
# a message line with an unterminated timestamp: each one used to copy the rest of the file
QUADRATIC_LINE = '{"type":"message","timestamp":""role":"assistant"}'
TITLE_CHARS = 10_000  # what a reader keeps of a title (the rest becomes "…")


class EdgeCases(HostileKit):
    def extreme_timestamps(self) -> None:
        """Every message time outside 1970–2999, and the settings' lock time too: a
        warning each, the session undated, everything else as written."""
        plan, records, info = self.session()
        messages = [r for r in records if r.get("type") == "message"]
        for i, record in enumerate(messages):
            record["timestamp"] = EDGE_TIMES[i % len(EDGE_TIMES)]
        settings = self.settings(plan, info)
        settings["providerLockTimestamp"] = EDGE_TIMES[1]
        path, _ = self.write_session_files(plan, self.text(records), settings_text(settings))
        self.add("extreme_timestamps", path, plan.id, True,
                 "times in the year 10000 / before year 1 in UTC: ignored with a warning, the session undated",
                 **self.expected(info, settings, undated=True))

    def quadratic_lines(self) -> None:
        """3,000 message lines whose timestamp never closes, among valid ones."""
        junk = (QUADRATIC_LINE + "\n") * 3000
        self.damaged_transcript(
            "quadratic_lines",
            lambda rs: self.text(rs[:2]) + junk + self.text(rs[2:]),
            "3,000 lines like {\"timestamp\":\"\"role\":\"assistant\"}: each costs its own bytes",
        )

    def over_long_fields(self) -> None:
        """A 50,000-character title, a 5,000-character cwd and parent id: the title kept
        shortened, the cwd (no usable path) dropped, the project taken from the folder."""
        plan, records, info = self.session()
        title = "T" * 50_000
        records[0].update(title=title, cwd="/" + "c" * 5000, parent="p" * 5000)
        records[0].pop("sessionTitle", None)
        path = self.write(plan.id + ".jsonl", self.text(records))
        self.add("over_long_fields", path, plan.id, True,
                 "title, cwd and parent id far longer than any real one: bounded, not kept whole",
                 **self.expected(info, None, title=title[: TITLE_CHARS - 1] + "…", cwd=None, folder=self.FOLDER))
