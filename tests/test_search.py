"""Search over titles, projects and prompts, from the index."""

from __future__ import annotations

from fdash.core.catalog import load_catalog
from fdash.core.config import Config
from fdash.core.search import Searcher


def _searcher(root):
    return Searcher(load_catalog(root, Config()).entries)


def test_all_words_must_match_case_insensitive(observer_root):
    searcher = _searcher(observer_root)
    hits = searcher.search("SUMMARY folder")
    assert [h.entry.session.id[:8] for h in hits] == ["7df5bcf0"]
    hit = hits[0]
    assert hit.where == "prompt" and hit.excerpt == "Give me a summary of this folder"
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["summary", "folder"]
    assert searcher.search("summary nothing-like-this") == []
    assert searcher.search("   ") == []


def test_newest_first_and_fields(observer_root):
    searcher = _searcher(observer_root)
    assert [h.entry.session.id[:8] for h in searcher.search("hi")] == ["11080800", "7df5bcf0"]
    assert searcher.search("needlehaystack")[0].where == "project"
    assert searcher.search("start new chat")[0].where == "title"
    assert searcher.search("hi", limit=1)[0].entry.session.id.startswith("11080800")


def test_search_matches_prompts_of_generated_sessions(generated):
    root, manifest = generated
    searcher = _searcher(root)
    # pick a real prompt word sequence from the manifest and find its session
    sid, info = next((sid, s) for sid, s in manifest["sessions"].items()
                     if s.get("prompt_texts") and len(s["prompt_texts"][0].split()) >= 3)
    words = " ".join(info["prompt_texts"][0].split()[:3])
    ids = [h.entry.session.id for h in searcher.search(words)]
    assert sid in ids


def test_excerpts_are_clean_text(observer_root):
    import orjson

    from fdash.core.titles import rename_session

    path = next(observer_root.rglob("7df5bcf0*.jsonl"))
    rename_session(str(path), "x", check_live=False)
    data = path.read_bytes().split(b"\n", 1)
    start = orjson.loads(data[0])
    start["title"] = "evil \x1b]0;owned\x07title [bold]x"
    path.write_bytes(orjson.dumps(start) + b"\n" + data[1])
    (hit,) = _searcher(observer_root).search("evil title")
    assert hit.where == "title" and "\x1b" not in hit.excerpt and "\x07" not in hit.excerpt
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["evil", "title"]


def test_a_long_excerpt_is_cut_only_where_text_is_left_out():
    """`…` replaces a character only at an end that cuts the text: a match at the start
    keeps its first character, one at the end its last (issue 12)."""
    from fdash.core.search import EXCERPT_CHARS, _window

    text = "write docs for the parser " + "and then some more words " * 20 + "the very end"
    head, _ = _window(text, ["write"])
    assert head.startswith("write docs") and head.endswith("…") and len(head) <= EXCERPT_CHARS
    tail, _ = _window(text, ["end"])
    assert tail.startswith("…") and tail.endswith("the very end") and len(tail) <= EXCERPT_CHARS
    middle, _ = _window(text, ["then"])
    assert middle.startswith("write docs")  # the first match is near the start: nothing cut there
    short, _ = _window("write docs", ["write"])
    assert short == "write docs"


def _one_prompt_root(tmp_path, prompt: str):
    import orjson  # noqa: PLC0415

    folder = tmp_path / "sessions" / "-w"
    folder.mkdir(parents=True)
    lines = [{"type": "session_start", "title": "t", "cwd": "/w"},
             {"type": "message", "id": "u", "timestamp": "2026-01-01T00:00:00Z",
              "message": {"role": "user", "content": [{"type": "text", "text": prompt}]}}]
    (folder / "cccccccc-0000-4000-8000-000000000001.jsonl").write_bytes(
        b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return tmp_path / "sessions"


def test_highlights_stay_on_the_match_when_case_folding_changes_length(tmp_path):
    """"İ".lower() is two characters ("i" + a combining dot): the spans must still cover
    the matched characters of the excerpt as shown (issue 15, case 7)."""
    root = _one_prompt_root(tmp_path, "İİİ İstanbul ve İzmir DAİRE")
    hit = _searcher(root).search("izmir daire")[0]
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["İzmir", "DAİRE"]
    hit = _searcher(root).search("İstanbul")[0]
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["İstanbul"]


def test_the_excerpt_window_is_placed_by_the_original_text(tmp_path):
    prompt = "İ" * 400 + " the needle is here " + "x" * 400
    hit = _searcher(_one_prompt_root(tmp_path, prompt)).search("needle")[0]
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["needle"]


def test_a_decomposed_dot_does_not_shift_the_highlight(tmp_path):
    hit = _searcher(_one_prompt_root(tmp_path, "I\u0307I\u0307 i\u0307zmir and the needle")).search("izmir needle")[0]
    assert [hit.excerpt[a:b] for a, b in hit.spans] == ["i\u0307zmir", "needle"]
