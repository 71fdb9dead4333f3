"""The hostile corpus (--hostile): broken and adversarial files, each recorded in the
manifest with what a scanner should do. Transcript cases are in hostile_transcripts.py,
the helpers they share in hostile_kit.py."""

from __future__ import annotations

import json
import os
from typing import Any

from fdash.demo.layout import rel_path
from fdash.demo.model_catalog import MODELS
from fdash.demo.plans import TOKEN_KINDS
from fdash.demo.primitives import new_uuid
from fdash.demo.settings import settings_text

from .hostile_edges import EdgeCases
from .hostile_transcripts import BrokenTranscripts
from .manifest import token_counts


class HostileCorpus(BrokenTranscripts, EdgeCases):
    """Broken and adversarial files, each recorded with what a scanner should do.

    Every case is one method; `build()` runs them in a fixed order. Sessions are
    small valid ones (see `session`) that a case then damages.
    """

    def build(self) -> list[dict]:
        cases = [
            self.truncated_last_line,
            self.invalid_json_line_middle,
            self.invalid_utf8_in_text,
            self.invalid_utf8_in_prompt,
            self.zero_byte_transcript,
            self.no_session_start,
            self.non_object_lines,
            self.deep_nesting_line,
            self.crlf_line_endings,
            self.blank_lines,
            self.utf8_bom,
            self.odd_message_shapes,
            self.odd_timestamps,
            self.control_chars,
            self.toplevel_visibility,
            self.transcript_without_settings,
            self.bad_settings_cases,
            self.orphan_settings,
            self.bak_only,
            self.non_uuid_names,
            self.directories_named_like_sessions,
            self.symlinks,
            self.extreme_timestamps,
            self.quadratic_lines,
            self.over_long_fields,
        ]
        if self.huge:
            cases.append(self.huge_line)
        if self.unreadable:
            cases.append(self.unreadable_file_and_folder)
        for case in cases:
            case()
        return self.entries

    # -- settings cases ---------------------------------------------------

    def bad_settings(self, case: str, make, note: str, acceptable, **over: Any) -> None:
        """A valid transcript beside broken settings; `acceptable(tokens)`: allowed readings."""
        plan, records, info = self.session()
        good = self.settings(plan, info)
        tokens = token_counts(good["tokenUsage"])
        path, settings_path = self.write_session_files(plan, self.text(records), make(good))
        self.add(
            case,
            settings_path,
            plan.id,
            True,
            f"{note} (transcript: {path})",
            **self.expected(info, None, tokens_acceptable=acceptable(tokens), **over),
        )

    @staticmethod
    def with_token_values(fn):
        """A settings maker replacing every token value v by fn(v)."""

        def make(good: dict) -> str:
            bad = json.loads(json.dumps(good))
            for key in ("tokenUsage", "inclusiveTokenUsage"):
                bad[key] = {k: fn(v) for k, v in bad[key].items()}
            return settings_text(bad)

        return make

    def bad_settings_cases(self) -> None:
        zeros = dict.fromkeys(TOKEN_KINDS, 0)
        either_model = [None, MODELS[1].id]  # the transcript's model may stand in
        wrong_types = {
            "model": 42,
            "tokenUsage": "lots",
            "inclusiveTokenUsage": [],
            "effectiveFactoryRouterModel": 7,
            "assistantActiveTimeMs": "slow",
        }
        self.bad_settings(
            "settings_invalid_json",
            lambda g: settings_text(g)[: len(settings_text(g)) // 2],
            "settings cut in half: no token numbers",
            lambda t: [None],
            model_acceptable=either_model,
        )
        self.bad_settings(
            "settings_token_strings",
            self.with_token_values(str),
            'token values are strings like "1234"',
            lambda t: [None, t, zeros],
        )
        self.bad_settings(
            "settings_token_negative",
            self.with_token_values(lambda v: -abs(v) - 1),
            "negative token values: ignore them, never subtract",
            lambda t: [None, zeros],
        )
        self.bad_settings(
            "settings_token_null",
            self.with_token_values(lambda v: None),
            "null token values",
            lambda t: [None, zeros],
        )
        self.bad_settings(
            "settings_token_float",
            self.with_token_values(lambda v: v + 0.5),
            "float token values like 1234.5",
            lambda t: [None, t, zeros],
        )
        self.bad_settings(
            "settings_token_huge",
            self.with_token_values(lambda v: 1e30),
            "absurd token values (1e30)",
            lambda t: [None, zeros],
        )
        self.bad_settings(
            "settings_is_array",
            lambda g: settings_text([g]),
            "settings is a JSON array",
            lambda t: [None],
            model_acceptable=either_model,
        )
        self.bad_settings(
            "settings_wrong_types",
            lambda g: settings_text({**g, **wrong_types}),
            "model is a number, tokenUsage a string",
            lambda t: [None],
            model_acceptable=either_model,
        )

    def orphan_settings(self) -> None:
        plan, _, info = self.session()
        settings = self.settings(plan, info)
        path = self.write(plan.id + ".settings.json", settings_text(settings))
        self.add(
            "orphan_settings",
            path,
            plan.id,
            None,
            "settings with no transcript (deleted or never written)",
            tokens=token_counts(settings["tokenUsage"]),
            user_prompts=0,
        )

    def bak_only(self) -> None:
        plan, _, info = self.session()
        path = self.write(plan.id + ".settings.json.bak", settings_text(self.settings(plan, info)))
        self.add("bak_only", path, None, False, "a lone .settings.json.bak is not a session file")

    # -- file system cases ------------------------------------------------

    def non_uuid_names(self) -> None:
        plan, records, _ = self.session()
        body = self.text(records)  # a valid session whose id appears nowhere else
        for name in (
            "not-a-session.jsonl",
            plan.id + "-copy.jsonl",
            plan.id.upper() + ".jsonl.tmp",
            "notes.settings.json",
        ):
            path = self.write(name, body)
            self.add(
                "non_uuid_name", path, None, False, "not named <uuid>.jsonl / <uuid>.settings.json"
            )

    def directories_named_like_sessions(self) -> None:
        for name in (new_uuid(self.rng) + ".jsonl", new_uuid(self.rng) + ".settings.json"):
            folder = rel_path(self.FOLDER, name)
            self.write("inner.txt", "I am a directory named like a session file\n", folder=folder)
            self.add("directory_named_like_session", folder, None, False, "a directory, not a file")

    def symlinks(self) -> None:
        root = self.w.root
        os.symlink("..", root / self.FOLDER / "parent-link", target_is_directory=True)
        self.add(
            "symlink_loop",
            rel_path(self.FOLDER, "parent-link"),
            None,
            False,
            "dir symlink to its parent (loop)",
        )
        os.symlink(".", root / "loop-to-root", target_is_directory=True)
        self.add(
            "symlink_loop",
            "loop-to-root",
            None,
            False,
            "root-level symlink to the root: read as a project folder, it repeats flat sessions",
        )
        sid = new_uuid(self.rng)
        os.symlink(sid + ".jsonl", root / self.FOLDER / (sid + ".jsonl"))
        self.add(
            "symlink_loop",
            rel_path(self.FOLDER, sid + ".jsonl"),
            sid,
            False,
            "a <uuid>.jsonl symlink pointing at itself (ELOOP on open/stat)",
        )
        os.symlink("..", root / "-mnt-external", target_is_directory=True)
        self.add(
            "symlink_outside",
            "-mnt-external",
            None,
            False,
            "root-level dir symlink to the root's parent (outside the sessions root)",
        )

    def unreadable_file_and_folder(self) -> None:
        """chmod 000 on a transcript (settings stay readable) and on a project folder.
        Root reads both anyway: the expectations allow either reading."""
        plan, records, info = self.session()
        settings = self.settings(plan, info)
        path, _ = self.write_session_files(plan, self.text(records), settings_text(settings))
        expect = self.expected(info, settings)
        expect["user_prompts_range"] = [0, expect.pop("user_prompts")]
        for key in ("prompt_texts", "cwd", "title"):
            expect.pop(key)
        self.add("unreadable_file", path, plan.id, True, "transcript chmod 000", **expect)
        os.chmod(self.w.root / path, 0)

        folder = "-home-mallory-locked"
        plan, records, info = self.session()
        settings = self.settings(plan, info)
        self.write_session_files(plan, self.text(records), settings_text(settings), folder)
        self.add(
            "unreadable_folder",
            folder,
            plan.id,
            None,
            "project folder chmod 000 holding a valid session: listed only if readable",
            **self.expected(info, settings),
        )
        os.chmod(self.w.root / folder, 0)
