"""Deferred values: computed a piece at a time, dropped when no longer wanted, paused
while not on screen."""

from __future__ import annotations

from fdash.tui.deferred import Deferred, Failed


def job(log, n, value):
    for i in range(n):
        log.append(i)
        yield
    return value


def test_pieces_run_between_other_work_and_only_the_wanted_key_is_kept():
    queue, shown = [], [True]
    d = Deferred(queue.append, lambda fn: fn(), shown=lambda: shown[0])
    log = []
    assert d.get("a", lambda: job(log, 3, "A")) == (None, False)
    queue.pop(0)()  # one piece
    assert log == [0]
    assert d.get("b", lambda: job(log, 2, "B")) == (None, False)  # "a" is dropped
    while queue:
        queue.pop(0)()
    assert d.get("b", lambda: job(log, 2, "B")) == ("B", True)
    assert log == [0, 0, 1]


def test_a_job_pauses_off_screen_and_resumes_when_asked_again():
    queue, shown = [], [True]
    d = Deferred(queue.append, lambda fn: fn(), shown=lambda: shown[0])
    log = []
    d.get("a", lambda: job(log, 3, "A"))
    queue.pop(0)()
    shown[0] = False
    queue.pop(0)()  # paused: nothing scheduled any more
    assert queue == [] and log == [0]
    shown[0] = True
    assert d.get("a", lambda: job(log, 3, "A")) == (None, False)  # resumed, not restarted
    while queue:
        queue.pop(0)()
    assert log == [0, 1, 2] and d.get("a", lambda: None) == ("A", True)


def test_a_failing_job_is_a_value_to_show():
    def broken():
        yield
        raise ValueError("no")

    d = Deferred(lambda fn: fn(), lambda fn: fn())
    value, fresh = d.get("x", broken)
    assert fresh and value == Failed("ValueError: no")
