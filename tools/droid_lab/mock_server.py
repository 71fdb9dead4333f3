"""A mock model server for running the real `droid` binary offline (loopback only).

Speaks three protocols, streaming and not:

- Anthropic Messages      POST …/v1/messages
- OpenAI Responses        POST …/responses
- OpenAI Chat Completions POST …/chat/completions

Every reply's usage numbers are chosen here (a plan the driver posts to
`/_lab/plan`, else a default reply) and recorded with the request in the log
(`GET /_lab/log`), so a session droid writes can be compared with what the
"provider" billed. A plan is a JSON list of steps, used in order, one per model call:

    {"text": "...", "thinking": "...", "tool": {"name": "...", "input": {...}},
     "usage": {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0, "reasoning": 0},
     "fail": 500 | 429 | "cut", "match": "text the request must contain", "lane": "a label"}

`usage.input` is the prompt size *excluding* cache reads and writes (Anthropic's
meaning); for the OpenAI protocols the server reports the provider's gross counts
(prompt tokens include cached ones, output includes reasoning), as those APIs do.

    python3 tools/droid_lab/mock_server.py --port 0   # prints the port it listens on

Standard library only; binds 127.0.0.1 and nothing else.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_USAGE = {"input": 100, "output": 20, "cache_read": 0, "cache_write": 0, "reasoning": 0}


class Lab:
    """The plan (steps still to serve) and the log (what was served), shared by threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plan: list[dict] = []
        self.log: list[dict] = []
        self.ids = itertools.count(1)

    def next_step(self, body: bytes) -> dict:
        """The first planned step whose `match` text is in the request (steps without
        one match any request), else a default reply."""
        text = body.decode("utf-8", "replace")
        with self.lock:
            for i, step in enumerate(self.plan):
                if step.get("match") is None or step["match"] in text:
                    return self.plan.pop(i)
            return {"text": "OK."}

    def record(self, entry: dict) -> None:
        with self.lock:
            self.log.append(entry)


LAB = Lab()


def _usage(step: dict) -> dict:
    usage = dict(DEFAULT_USAGE)
    usage.update(step.get("usage") or {})
    return usage


def _tool_id(prefix: str) -> str:
    return f"{prefix}{next(LAB.ids):06d}mock"


def _chunks(text: str, size: int = 12) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# --------------------------------------------------------------------------- Anthropic


def anthropic_events(step: dict, model: str) -> list[tuple[str, dict]]:
    u = _usage(step)
    events = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": f"msg_{next(LAB.ids):06d}",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {
                        "input_tokens": u["input"],
                        "cache_creation_input_tokens": u["cache_write"],
                        "cache_read_input_tokens": u["cache_read"],
                        "output_tokens": 1,
                    },
                },
            },
        )
    ]
    index = 0
    if step.get("thinking"):
        events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                               "content_block": {"type": "thinking", "thinking": "", "signature": ""}}))
        for piece in _chunks(step["thinking"]):
            events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                                   "delta": {"type": "thinking_delta", "thinking": piece}}))
        events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                               "delta": {"type": "signature_delta", "signature": "c2lnbmF0dXJl"}}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        index += 1
    if step.get("text"):
        events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                               "content_block": {"type": "text", "text": ""}}))
        for piece in _chunks(step["text"]):
            events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                                   "delta": {"type": "text_delta", "text": piece}}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        index += 1
    tool = step.get("tool")
    if tool:
        events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                               "content_block": {"type": "tool_use", "id": _tool_id("toolu_"),
                                                                 "name": tool["name"], "input": {}}}))
        for piece in _chunks(json.dumps(tool["input"]), 40):
            events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                                   "delta": {"type": "input_json_delta", "partial_json": piece}}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": "tool_use" if tool else "end_turn", "stop_sequence": None},
                                     "usage": {"output_tokens": u["output"]}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def anthropic_message(step: dict, model: str) -> dict:
    """The non-streaming reply, built from the same events."""
    events = anthropic_events(step, model)
    message = events[0][1]["message"]
    blocks: dict[int, dict] = {}
    for name, data in events[1:]:
        if name == "content_block_start":
            blocks[data["index"]] = dict(data["content_block"])
        elif name == "content_block_delta":
            block, delta = blocks[data["index"]], data["delta"]
            if delta["type"] == "text_delta":
                block["text"] += delta["text"]
            elif delta["type"] == "thinking_delta":
                block["thinking"] += delta["thinking"]
            elif delta["type"] == "signature_delta":
                block["signature"] = delta["signature"]
            elif delta["type"] == "input_json_delta":
                block["_json"] = block.get("_json", "") + delta["partial_json"]
        elif name == "message_delta":
            message["stop_reason"] = data["delta"]["stop_reason"]
            message["usage"]["output_tokens"] = data["usage"]["output_tokens"]
    for block in blocks.values():
        if "_json" in block:
            block["input"] = json.loads(block.pop("_json"))
    message["content"] = [blocks[i] for i in sorted(blocks)]
    return message


# --------------------------------------------------------------------------- OpenAI Responses


def responses_events(step: dict, model: str) -> list[dict]:
    u = _usage(step)
    rid = f"resp_{next(LAB.ids):06d}"
    output: list[dict] = []
    events: list[dict] = []
    base = {"id": rid, "object": "response", "created_at": int(time.time()), "model": model, "output": []}
    events.append({"type": "response.created", "response": {**base, "status": "in_progress"}})
    if step.get("thinking"):
        item = {"type": "reasoning", "id": f"rs_{next(LAB.ids):06d}", "summary": []}
        n = len(output)
        events.append({"type": "response.output_item.added", "output_index": n, "item": item})
        text = step["thinking"]
        events.append({"type": "response.reasoning_summary_part.added", "item_id": item["id"], "output_index": n,
                       "summary_index": 0, "part": {"type": "summary_text", "text": ""}})
        for piece in _chunks(text):
            events.append({"type": "response.reasoning_summary_text.delta", "item_id": item["id"],
                           "output_index": n, "summary_index": 0, "delta": piece})
        events.append({"type": "response.reasoning_summary_text.done", "item_id": item["id"], "output_index": n,
                       "summary_index": 0, "text": text})
        done = {**item, "summary": [{"type": "summary_text", "text": text}]}
        events.append({"type": "response.reasoning_summary_part.done", "item_id": item["id"], "output_index": n,
                       "summary_index": 0, "part": {"type": "summary_text", "text": text}})
        events.append({"type": "response.output_item.done", "output_index": n, "item": done})
        output.append(done)
    if step.get("text"):
        mid = f"msg_{next(LAB.ids):06d}"
        n = len(output)
        item = {"type": "message", "id": mid, "role": "assistant", "status": "in_progress", "content": []}
        events.append({"type": "response.output_item.added", "output_index": n, "item": item})
        events.append({"type": "response.content_part.added", "item_id": mid, "output_index": n, "content_index": 0,
                       "part": {"type": "output_text", "text": "", "annotations": []}})
        for piece in _chunks(step["text"]):
            events.append({"type": "response.output_text.delta", "item_id": mid, "output_index": n,
                           "content_index": 0, "delta": piece})
        part = {"type": "output_text", "text": step["text"], "annotations": []}
        events.append({"type": "response.output_text.done", "item_id": mid, "output_index": n, "content_index": 0,
                       "text": step["text"]})
        events.append({"type": "response.content_part.done", "item_id": mid, "output_index": n, "content_index": 0,
                       "part": part})
        done = {**item, "status": "completed", "content": [part]}
        events.append({"type": "response.output_item.done", "output_index": n, "item": done})
        output.append(done)
    tool = step.get("tool")
    if tool:
        n = len(output)
        args = json.dumps(tool["input"])
        item = {"type": "function_call", "id": f"fc_{next(LAB.ids):06d}", "call_id": _tool_id("call_"),
                "name": tool["name"], "arguments": "", "status": "in_progress"}
        events.append({"type": "response.output_item.added", "output_index": n, "item": item})
        for piece in _chunks(args, 40):
            events.append({"type": "response.function_call_arguments.delta", "item_id": item["id"],
                           "output_index": n, "delta": piece})
        events.append({"type": "response.function_call_arguments.done", "item_id": item["id"], "output_index": n,
                       "arguments": args})
        done = {**item, "arguments": args, "status": "completed"}
        events.append({"type": "response.output_item.done", "output_index": n, "item": done})
        output.append(done)
    prompt = u["input"] + u["cache_read"] + u["cache_write"]
    usage = {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": u["cache_read"]},
        "output_tokens": u["output"],
        "output_tokens_details": {"reasoning_tokens": u["reasoning"]},
        "total_tokens": prompt + u["output"],
    }
    if u["cache_write"]:  # not in OpenAI's API; some gateways add it: does droid read it?
        usage["input_tokens_details"]["cache_creation_tokens"] = u["cache_write"]
        usage["cache_creation_input_tokens"] = u["cache_write"]
    events.append({"type": "response.completed",
                   "response": {**base, "status": "completed", "output": output, "usage": usage}})
    for number, event in enumerate(events):
        event["sequence_number"] = number
    return events


# --------------------------------------------------------------------------- Chat Completions


def chat_chunks(step: dict, model: str) -> list[dict]:
    u = _usage(step)
    cid = f"chatcmpl-{next(LAB.ids):06d}"
    head = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model}

    def chunk(delta: dict, finish: str | None = None) -> dict:
        return {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    chunks = [chunk({"role": "assistant", "content": ""})]
    for piece in _chunks(step.get("thinking") or "") if step.get("thinking") else []:
        chunks.append(chunk({"reasoning_content": piece}))
    for piece in _chunks(step.get("text") or "") if step.get("text") else []:
        chunks.append(chunk({"content": piece}))
    tool = step.get("tool")
    if tool:
        args = json.dumps(tool["input"])
        chunks.append(chunk({"tool_calls": [{"index": 0, "id": _tool_id("call_"), "type": "function",
                                             "function": {"name": tool["name"], "arguments": ""}}]}))
        for piece in _chunks(args, 40):
            chunks.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
    chunks.append(chunk({}, "tool_calls" if tool else "stop"))
    prompt = u["input"] + u["cache_read"] + u["cache_write"]
    usage = {
        "prompt_tokens": prompt,
        "completion_tokens": u["output"],
        "total_tokens": prompt + u["output"],
        "prompt_tokens_details": {"cached_tokens": u["cache_read"]},
        "completion_tokens_details": {"reasoning_tokens": u["reasoning"]},
    }
    if u["cache_write"]:
        usage["prompt_tokens_details"]["cache_write_tokens"] = u["cache_write"]
        usage["cache_creation_input_tokens"] = u["cache_write"]
    chunks.append({**head, "choices": [], "usage": usage})
    return chunks


def chat_message(step: dict, model: str) -> dict:
    chunks = chat_chunks(step, model)
    message: dict = {"role": "assistant", "content": step.get("text") or None}
    tool = step.get("tool")
    if tool:
        message["tool_calls"] = [{"id": _tool_id("call_"), "type": "function",
                                  "function": {"name": tool["name"], "arguments": json.dumps(tool["input"])}}]
    return {"id": chunks[0]["id"], "object": "chat.completion", "created": chunks[0]["created"], "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tool else "stop"}],
            "usage": chunks[-1]["usage"]}


# --------------------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if self.server.verbose:
            sys.stderr.write("mock: " + format % args + "\n")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json(self, status: int, doc: object) -> None:
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/_lab/log":
            with LAB.lock:
                self._json(200, LAB.log)
        elif self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": []})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        raw = self._body()
        if self.path == "/_lab/plan":
            with LAB.lock:
                LAB.plan = json.loads(raw or b"[]")
            self._json(200, {"ok": True})
            return
        if self.path == "/_lab/reset":
            with LAB.lock:
                LAB.plan, LAB.log = [], []
            self._json(200, {"ok": True})
            return
        path = self.path.split("?", 1)[0].rstrip("/")
        if path.startswith("/api/"):  # Factory's own API (FACTORY_API_BASE_URL points here): nothing to say
            self._json(404, {"error": "not found"})
            return
        if path.endswith("/messages"):
            protocol = "anthropic"
        elif path.endswith("/responses"):
            protocol = "openai"
        elif path.endswith("/chat/completions"):
            protocol = "chat"
        else:
            self._json(404, {"error": f"no such endpoint {self.path}"})
            return
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            request = {}
        step = LAB.next_step(raw)
        model = request.get("model") or "mock"
        stream = bool(request.get("stream"))
        LAB.record({"time": time.time(), "protocol": protocol, "path": path, "model": model, "stream": stream,
                    "step": step, "usage": _usage(step), "messages": len(request.get("messages") or
                                                                       request.get("input") or [])})
        fail = step.get("fail")
        if fail in (500, 429):
            body = {"type": "error", "error": {"type": "rate_limit_error" if fail == 429 else "api_error",
                                               "message": "mock failure", "code": str(fail)}}
            self.send_response(fail)
            data = json.dumps(body).encode()
            self.send_header("Content-Type", "application/json")
            if fail == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if not stream:
            reply = {"anthropic": anthropic_message, "openai": _responses_whole, "chat": chat_message}[protocol]
            self._json(200, reply(step, model))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        if protocol == "anthropic":
            lines = [f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in anthropic_events(step, model)]
        elif protocol == "openai":
            lines = [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in responses_events(step, model)]
        else:
            lines = [f"data: {json.dumps(c)}\n\n" for c in chat_chunks(step, model)] + ["data: [DONE]\n\n"]
        if fail == "cut":  # the stream stops half way, the connection closes
            lines = lines[: max(1, len(lines) // 2)]
        for line in lines:
            self.wfile.write(line.encode())
            self.wfile.flush()
        self.close_connection = True


def _responses_whole(step: dict, model: str) -> dict:
    return responses_events(step, model)[-1]["response"]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    verbose = False


def serve(port: int = 0, verbose: bool = False) -> Server:
    """Start the server on 127.0.0.1 in a thread; returns it (`.server_address[1]` = port)."""
    server = Server(("127.0.0.1", port), Handler)
    server.verbose = verbose
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    server = serve(args.port, args.verbose)
    print(server.server_address[1], flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
