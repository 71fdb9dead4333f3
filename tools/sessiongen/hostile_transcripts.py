"""Hostile cases that damage a transcript (the corpus is assembled in hostile.py)."""

from __future__ import annotations

from fdash.demo.primitives import dumps_compact, new_uuid
from fdash.demo.settings import settings_text
from fdash.demo.text_pools import pools

from .hostile_kit import HostileKit
from .manifest import prompt_texts


class BrokenTranscripts(HostileKit):
    """Truncated, invalid, oddly shaped or hostile transcripts; one method per case."""

    def truncated_last_line(self) -> None:
        """A last prompt cut mid-JSON (droid still writing): the earlier prompts count."""

        def damage(records: list[dict]) -> str:
            last = dumps_compact(
                self.user_message(
                    [{"type": "text", "text": "and one more thing: " * 20}],
                    records[-2]["timestamp"],
                )
            )
            return self.text(records) + last[: len(last) // 2]

        self.damaged_transcript(
            "truncated_last_line", damage, "file ends inside a JSON line (no newline)"
        )

    def invalid_json_line_middle(self) -> None:
        garbage = '{"type":"message","id":"oops", this is not json}'
        self.damaged_transcript(
            "invalid_json_line_middle",
            lambda rs: self.text(rs[:3]) + garbage + "\n" + self.text(rs[3:]),
            "one garbage line in the middle; skip it, keep the rest",
        )

    def invalid_utf8_in_text(self) -> None:
        def damage(records: list[dict]) -> bytes:
            raw = self.text(records).encode("utf-8")
            marker = b'"type":"text","text":"'
            at = raw.rfind(marker) + len(marker)  # the final assistant answer
            return raw[:at] + b"\xff\xfe\xc3(bad bytes) " + raw[at:]

        self.damaged_transcript(
            "invalid_utf8_in_text",
            damage,
            "bytes ff fe c3 inside an assistant text block; decode with errors='replace' or "
            "skip that line, never drop the file",
        )

    def first_prompt(self, records: list[dict]) -> dict:
        """The first record that is a real user prompt (not context, not a notice)."""
        return next(
            r
            for r in records
            if r.get("type") == "message"
            and r["message"]["role"] == "user"
            and "visibility" not in r["message"]
            and not r["id"].startswith("context-")
            and isinstance(r["message"]["content"], list)
            and r["message"]["content"][0].get("type") == "text"
        )

    def invalid_utf8_in_prompt(self) -> None:
        """Bytes ff fe at the start of the first prompt: it still counts, shown with U+FFFD."""
        plan, records, info = self.session()
        marker = "@@INVALID-UTF8@@"
        block = self.first_prompt(records)["message"]["content"][0]
        block["text"] = marker + block["text"]
        data = self.text(records).encode("utf-8").replace(marker.encode(), b"\xff\xfe", 1)
        settings = self.settings(plan, info)
        path, _ = self.write_session_files(plan, data, settings_text(settings))
        prompts = ["\ufffd\ufffd" + info.prompts[0]] + info.prompts[1:]
        self.add(
            "invalid_utf8_in_prompt",
            path,
            plan.id,
            True,
            "bytes ff fe inside the first user prompt: decode with errors='replace' (two U+FFFD)",
            **self.expected(info, settings, prompt_texts=prompt_texts(prompts)),
        )

    def zero_byte_transcript(self) -> None:
        sid = new_uuid(self.rng)
        path = self.write(sid + ".jsonl", b"")
        self.add(
            "zero_byte_transcript",
            path,
            sid,
            None,
            "0-byte transcript, no settings",
            user_prompts=0,
        )

    def no_session_start(self) -> None:
        plan, records, info = self.session()
        path = self.write(plan.id + ".jsonl", self.text(records[1:]))
        self.add(
            "no_session_start",
            path,
            plan.id,
            True,
            "first line is a message; cwd falls back to the folder",
            **self.expected(info, None, cwd=None, title=None, folder=self.FOLDER),
        )

    def non_object_lines(self) -> None:
        junk = '[1, 2, 3]\n"just a string"\nnull\n42\ntrue\n'
        self.damaged_transcript(
            "non_object_lines",
            lambda rs: self.text(rs[:2]) + junk + self.text(rs[2:]),
            "valid JSON lines that are not objects",
        )

    def deep_nesting_line(self) -> None:
        bomb = "[" * 100_000 + "]" * 100_000 + "\n"
        self.damaged_transcript(
            "deep_nesting_line",
            lambda rs: self.text(rs[:2]) + bomb + self.text(rs[2:]),
            "100k nested arrays: Python's json raises RecursionError, not ValueError",
        )

    def crlf_line_endings(self) -> None:
        self.damaged_transcript(
            "crlf_line_endings", lambda rs: self.text(rs, "\r\n"), "CRLF line endings"
        )

    def blank_lines(self) -> None:
        self.damaged_transcript(
            "blank_lines",
            lambda rs: self.text(rs[:2]) + "\n   \n\t\n" + self.text(rs[2:]) + "\n\n",
            "blank and whitespace-only lines",
        )

    def utf8_bom(self) -> None:
        self.damaged_transcript(
            "utf8_bom",
            lambda rs: "\ufeff" + self.text(rs),
            "UTF-8 BOM before session_start (json.loads rejects it unless read as utf-8-sig): "
            "cwd/title may come from that line or be missing",
            drop=("cwd", "title"),
            cwd_acceptable=[self.CWD, None],
        )

    def odd_message_shapes(self) -> None:
        """Malformed messages; only the well-formed prompts must count."""
        plan, records, info = self.session()
        ts = records[1]["timestamp"]
        odd = [
            {"type": "message", "id": new_uuid(self.rng), "timestamp": ts, "message": None},
            {
                "type": "message",
                "id": new_uuid(self.rng),
                "timestamp": ts,
                "message": {"content": [{"type": "text", "text": "no role"}]},
            },
            self.user_message([None, 5, {"type": "text"}, {"type": "text", "text": 123}], ts),
            self.user_message({"type": "text", "text": "content is an object"}, ts),
            {
                "type": "message",
                "timestamp": ts,
                "message": {"role": "assistant", "content": "plain string"},
            },
            {
                "type": "message",
                "id": None,
                "timestamp": ts,
                "message": {"role": "assistant", "content": []},
            },
            {"type": 7, "id": new_uuid(self.rng)},
            {"no_type": True},
            self.user_message("a plain-string prompt", ts),  # may or may not count
        ]
        path = self.write(plan.id + ".jsonl", self.text(records[:2] + odd + records[2:]))
        expect = self.expected(info)
        expect["user_prompts_range"] = [expect.pop("user_prompts"), len(info.prompts) + 1]
        self.add(
            "odd_message_shapes",
            path,
            plan.id,
            True,
            "message null, no role, non-dict blocks, content as object / string, numeric type; "
            "the user message whose content is a plain string may or may not count",
            **expect,
        )

    def odd_timestamps(self) -> None:
        plan, records, info = self.session()
        messages = [r for r in records if r.get("type") == "message"]
        for rec, value in zip(
            messages[2:],
            [
                "2026-07-28T18:03:10Z",
                "2026-07-28T18:03:10.939+00:00",
                None,
                "not a date",
                1785000000000,
            ],
        ):
            if value is None:
                del rec["timestamp"]
            else:
                rec["timestamp"] = value
        path = self.write(plan.id + ".jsonl", self.text(records))
        self.add(
            "odd_timestamps",
            path,
            plan.id,
            True,
            "timestamps without millis, with +00:00, missing, garbage, numeric: none may crash",
            **self.expected(info),
        )

    def control_chars(self) -> None:
        """ANSI escapes / BEL / bidi overrides in a title and a prompt (terminal injection)."""
        plan, records, info = self.session()
        title = (
            "\x1b[2J\x1b[31mRED\x1b[0m\x07 \u202eevil\u202c\nsecond line\t[bold]markup[/bold]"
            " zero\u200bwidth \u2067rtl\u2069 \x9b31mC1 " + "W" * 5000
        )
        prefix = "\x1b]0;pwned\x07fix \u202etxt.exe\u202c [red]x[/red] "
        records[0]["title"] = title
        first = self.first_prompt(records)
        first["message"]["content"][0]["text"] = prefix + first["message"]["content"][0]["text"]
        prompts = [prefix + info.prompts[0]] + info.prompts[1:]
        path = self.write(plan.id + ".jsonl", self.text(records))
        self.add(
            "control_chars",
            path,
            plan.id,
            True,
            "ANSI escapes, BEL, bidi override, newline, 5000-char title: the display must sanitize",
            **self.expected(info, None, prompt_texts=prompt_texts(prompts), title=title),
        )

    def toplevel_visibility(self) -> None:
        plan, records, info = self.session()
        injected = self.user_message(
            [{"type": "text", "text": "injected context, not typed by the user"}],
            records[1]["timestamp"],
            visibility="llm_only",
        )
        path = self.write(plan.id + ".jsonl", self.text(records[:2] + [injected] + records[2:]))
        self.add(
            "toplevel_visibility",
            path,
            plan.id,
            True,
            "llm_only visibility at the record level on a non-context id: not a prompt",
            **self.expected(info),
        )

    def transcript_without_settings(self) -> None:
        plan, records, info = self.session()
        path = self.write(plan.id + ".jsonl", self.text(records), folder="")
        self.add(
            "transcript_without_settings",
            path,
            plan.id,
            True,
            "flat transcript, no settings: no token numbers; the model may be taken from "
            "the transcript's assistant messages",
            **self.expected(info, None, tokens=None, model_acceptable=[None, plan.model.id]),
        )

    def huge_line(self) -> None:
        def damage(records: list[dict]) -> str:
            block = {
                "type": "tool_result",
                "tool_use_id": "call_huge",
                "is_error": False,
                "content": pools().text("log", 50 * 1024 * 1024, self.rng),
            }
            big = self.user_message([block], records[-2]["timestamp"])
            return self.text(records[:-1] + [big] + records[-1:])

        self.damaged_transcript("huge_line", damage, "one ~50 MB tool_result line")
