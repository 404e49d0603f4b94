"""execute_request and its options, stdin, comms, errors and the other shell
requests, against the real kernel through jupyter_client. Each test checks
the exact messages a frontend would show.

Tests whose outcome does not depend on earlier cells share one kernel; those
that check that state survives something (an interrupt, a panic, os.Exit)
get a fresh one."""
import os
import queue
import signal
import time

import pytest
from conftest import start_kernel, stop_kernel

TIMEOUT = 30

RED, GREEN, RESET = "\x1b[0;31m", "\x1b[0;32m", "\x1b[0m"


@pytest.fixture
def kc(shared):
    km, kc = shared
    assert km.is_alive(), "an earlier test killed the shared kernel"
    return kc


@pytest.fixture
def fresh():
    km, kc = start_kernel()
    try:
        yield km, kc
    finally:
        stop_kernel(km, kc)


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to msg_id (earlier replies to other requests are skipped)."""
    deadline = time.time() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.01, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def iopub_for(kc, msg_id, timeout=TIMEOUT):
    """The iopub messages of msg_id between busy and idle, as (msg_type, content),
    without the two status messages (which must come first and last)."""
    deadline = time.time() + timeout
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=max(0.01, deadline - time.time()))
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append((m["msg_type"], m["content"]))
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    assert msgs[0] == ("status", {"execution_state": "busy"}), msgs
    assert msgs[-1] == ("status", {"execution_state": "idle"}), msgs
    return msgs[1:-1]


def run(kc, code, **kwargs):
    """Execute code; return the reply's content and the iopub outputs."""
    kwargs.setdefault("allow_stdin", False)
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id)
    assert reply["msg_type"] == "execute_reply"
    return reply["content"], iopub_for(kc, msg_id)


def ok_reply(count, user_expressions=None):
    return {"status": "ok", "execution_count": count, "payload": [], "user_expressions": user_expressions or {}}


def result(code, count, text):
    """The outputs of a cell whose only output is its text/plain result."""
    return [
        ("execute_input", {"code": code, "execution_count": count}),
        ("execute_result", {"execution_count": count, "data": {"text/plain": text}, "metadata": {}}),
    ]


def request(kc, msg_type, content):
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def count_now(kc):
    """The execution count after running one plain cell."""
    content, _ = run(kc, "0")
    return content["execution_count"]


# --- execute options ---------------------------------------------------------


def test_silent_publishes_nothing_and_keeps_the_count(kc):
    n = count_now(kc)
    code = 'import "fmt"\nfmt.Println("not shown")\nsilentVar := 6\nsilentVar * 7'
    content, outputs = run(kc, code, silent=True)
    assert content == ok_reply(n)
    assert outputs == []
    # The silent cell did run; the next cell gets the next count.
    content, outputs = run(kc, "silentVar + 1")
    assert content == ok_reply(n + 1)
    assert outputs == result("silentVar + 1", n + 1, "7")


def test_store_history_false_keeps_the_count(kc):
    n = count_now(kc)
    content, outputs = run(kc, "6 * 7", store_history=False)
    assert content == ok_reply(n)
    assert outputs == result("6 * 7", n, "42")
    content, outputs = run(kc, "6 * 8")
    assert content == ok_reply(n + 1)
    assert outputs == result("6 * 8", n + 1, "48")


def test_user_expressions(kc):
    content, outputs = run(kc, "uexpr := 5", user_expressions={"a": "1 + 1", "bad": "undefinedName"})
    n = content["execution_count"]
    assert content == ok_reply(n, {
        "a": {"status": "ok", "data": {"text/plain": "2"}, "metadata": {}},
        "bad": {
            "status": "error",
            "ename": "CompileError",
            "evalue": "1:1: undefined: undefinedName",
            "traceback": [
                RED + "CompileError" + RESET + ": 1:1: undefined: undefinedName",
                "  " + GREEN + "cell line 1" + RESET + ":",
                "    undefinedName",
                "    " + RED + "^" + RESET,
            ],
        },
    })
    # The expressions see the cell's variables and publish nothing.
    assert outputs == [("execute_input", {"code": "uexpr := 5", "execution_count": n})]
    content, _ = run(kc, "uexpr", user_expressions={"u": "uexpr * 2"})
    assert content["user_expressions"] == {"u": {"status": "ok", "data": {"text/plain": "10"}, "metadata": {}}}


def test_stdin_with_allow_stdin(kc):
    code = 'import "fmt"\nvar s string\nfmt.Scanln(&s)\ns'
    msg_id = kc.execute(code, allow_stdin=True)
    req = kc.get_stdin_msg(timeout=TIMEOUT)
    assert req["msg_type"] == "input_request"
    assert req["parent_header"]["msg_id"] == msg_id
    assert req["content"] == {"prompt": "", "password": False}
    kc.input("hello")
    content = shell_reply(kc, msg_id)["content"]
    n = content["execution_count"]
    assert content == ok_reply(n)
    # A string result shows as the string itself (Go's %v), without quotes.
    assert iopub_for(kc, msg_id) == result(code, n, "hello")


def test_stdin_without_allow_stdin_fails_at_once(kc):
    code = 'import "fmt"\nvar s string\n_, err := fmt.Scanln(&s)\nerr'
    t0 = time.time()
    content, outputs = run(kc, code, allow_stdin=False)
    assert time.time() - t0 < 5
    n = content["execution_count"]
    assert content == ok_reply(n)
    msg = "this frontend does not support input (allow_stdin is false)"
    expected = result(code, n, msg)
    # The cell is told on stderr too, since reading code often ignores the error.
    expected.insert(1, ("stream", {"name": "stderr", "text": "input is not available: " + msg + "\n"}))
    assert outputs == expected
    with pytest.raises(queue.Empty):
        kc.get_stdin_msg(timeout=0.2)


# The failing cell sleeps first so that the next two requests are surely queued
# in the kernel when it fails (only requests already queued are aborted).
FAILING = 'import "time"\ntime.Sleep(200 * time.Millisecond)\npanic("boom")'
FAILING_TB = [RED + "panic" + RESET + ": boom", "  " + GREEN + "cell line 3" + RESET + ': panic("boom")']


def test_stop_on_error_aborts_queued_cells(kc):
    n = count_now(kc)
    first = kc.execute(FAILING, allow_stdin=False)
    second = kc.execute('"never runs"', allow_stdin=False)
    third = kc.execute("neverRuns := 1", allow_stdin=False)
    assert shell_reply(kc, first)["content"] == {
        "status": "error", "execution_count": n + 1, "ename": "panic", "evalue": "boom",
        "traceback": FAILING_TB, "user_expressions": {}}
    for msg_id in (second, third):
        assert shell_reply(kc, msg_id)["content"] == {
            "status": "abort", "execution_count": n + 1, "ename": "ExecutionAborted",
            "evalue": "an earlier cell failed (stop_on_error)", "traceback": []}
    assert iopub_for(kc, first) == [
        ("execute_input", {"code": FAILING, "execution_count": n + 1}),
        ("error", {"ename": "panic", "evalue": "boom", "traceback": FAILING_TB}),
    ]
    assert iopub_for(kc, second) == []
    assert iopub_for(kc, third) == []
    # Nothing of the aborted cells ran; the next cell runs normally.
    content, outputs = run(kc, "neverRuns")
    assert content["status"] == "error" and content["ename"] == "CompileError"
    assert content["evalue"] == "1:1: undefined: neverRuns"
    content, outputs = run(kc, '"runs"')
    assert content == ok_reply(n + 3)
    assert outputs == result('"runs"', n + 3, "runs")


def test_stop_on_error_false_runs_queued_cells(kc):
    n = count_now(kc)
    first = kc.execute(FAILING, allow_stdin=False, stop_on_error=False)
    second = kc.execute('"second"', allow_stdin=False)
    third = kc.execute('"third"', allow_stdin=False)
    assert shell_reply(kc, first)["content"]["status"] == "error"
    assert shell_reply(kc, second)["content"] == ok_reply(n + 2)
    assert shell_reply(kc, third)["content"] == ok_reply(n + 3)
    iopub_for(kc, first)
    assert iopub_for(kc, second) == result('"second"', n + 2, "second")
    assert iopub_for(kc, third) == result('"third"', n + 3, "third")


# --- comms -------------------------------------------------------------------


def test_comm_info(kc):
    for content in ({}, {"target_name": "jupyter.widget"}):
        msg_id = request(kc, "comm_info_request", content)
        reply = shell_reply(kc, msg_id)
        assert reply["msg_type"] == "comm_info_reply"
        assert reply["content"] == {"status": "ok", "comms": {}}
        assert iopub_for(kc, msg_id) == []


def test_comm_open_for_unknown_target_is_closed(kc):
    msg_id = request(kc, "comm_open", {"comm_id": "comm-1", "target_name": "no.such.target", "data": {"x": 1}})
    assert iopub_for(kc, msg_id) == [("comm_close", {"comm_id": "comm-1", "data": {}})]
    for msg_type in ("comm_msg", "comm_close"):
        msg_id = request(kc, msg_type, {"comm_id": "comm-1", "data": {}})
        assert iopub_for(kc, msg_id) == []
    # The kernel still answers.
    reply = kc.kernel_info(reply=True, timeout=TIMEOUT)
    assert reply["content"]["status"] == "ok"
    content, outputs = run(kc, "40 + 2")
    assert outputs == result("40 + 2", content["execution_count"], "42")


# --- errors, interrupts and the kernel's survival ---------------------------


def wait_for_execute_input(kc, msg_id):
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            return


def test_sigint_interrupts_busy_loop_and_keeps_state(fresh):
    km, kc = fresh
    assert run(kc, "kept := 41")[0] == ok_reply(1)
    msg_id = kc.execute("for {}", allow_stdin=False)
    wait_for_execute_input(kc, msg_id)
    time.sleep(0.3)
    t0 = time.time()
    os.kill(km.provisioner.process.pid, signal.SIGINT)
    reply = shell_reply(kc, msg_id, timeout=5)
    assert time.time() - t0 < 2.0, "the interrupted cell took too long to end"
    tb = [RED + "Interrupted" + RESET + ": the cell was interrupted"]
    assert reply["content"] == {"status": "error", "execution_count": 2, "ename": "Interrupted",
                                "evalue": "the cell was interrupted", "traceback": tb, "user_expressions": {}}
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            break
        outputs.append((m["msg_type"], m["content"]))
    assert outputs == [("error", {"ename": "Interrupted", "evalue": "the cell was interrupted", "traceback": tb})]
    assert km.is_alive()
    content, outputs = run(kc, "kept + 1")
    assert content == ok_reply(3)
    assert outputs == result("kept + 1", 3, "42")


def test_panic_in_goroutine_is_an_error_and_kernel_survives(fresh):
    km, kc = fresh
    assert run(kc, 'before := "still here"')[0] == ok_reply(1)
    code = 'import "time"\ngo func(){ panic("in goroutine") }()\ntime.Sleep(100*time.Millisecond)'
    content, outputs = run(kc, code)
    tb = [RED + "panic" + RESET + ": in goroutine",
          "  in a goroutine started at " + GREEN + "cell line 2" + RESET + ': go func(){ panic("in goroutine") }()']
    assert content == {"status": "error", "execution_count": 2, "ename": "panic", "evalue": "in goroutine",
                       "traceback": tb, "user_expressions": {}}
    assert outputs == [
        ("execute_input", {"code": code, "execution_count": 2}),
        ("error", {"ename": "panic", "evalue": "in goroutine", "traceback": tb}),
    ]
    assert km.is_alive()
    content, outputs = run(kc, "before")
    assert outputs == result("before", 3, "still here")


def test_stdout_from_a_goroutine_is_streamed(kc):
    code = ('import (\n\t"fmt"\n\t"time"\n)\n'
            'go func() { fmt.Println("from a goroutine") }()\n'
            "time.Sleep(100 * time.Millisecond)")
    content, outputs = run(kc, code)
    n = content["execution_count"]
    assert content == ok_reply(n)
    assert outputs == [
        ("execute_input", {"code": code, "execution_count": n}),
        ("stream", {"name": "stdout", "text": "from a goroutine\n"}),
    ]


def test_mlx_error_is_one_line_without_go_frames(kc):
    code = "mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1))"
    content, outputs = run(kc, code)
    n = content["execution_count"]
    evalue = "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible"
    tb = [RED + "mlx.Error" + RESET + ": " + evalue, "  " + GREEN + "cell line 1" + RESET + ": " + code]
    assert content == {"status": "error", "execution_count": n, "ename": "mlx.Error", "evalue": evalue,
                       "traceback": tb, "user_expressions": {}}
    # Exactly one error on iopub, with the same fields, and no stderr stream.
    assert outputs == [
        ("execute_input", {"code": code, "execution_count": n}),
        ("error", {"ename": "mlx.Error", "evalue": evalue, "traceback": tb}),
    ]
    for line in content["traceback"]:
        assert "goroutine " not in line and ".go:" not in line, line


def test_os_exit_is_refused_and_kernel_keeps_running(fresh):
    km, kc = fresh
    assert run(kc, "exitState := 7")[0] == ok_reply(1)
    code = 'import "os"\nos.Exit(3)'
    content, outputs = run(kc, code)
    evalue = "os.Exit(3) was called: a notebook cell cannot exit the kernel (return from the cell or panic instead)"
    tb = [RED + "os.Exit" + RESET + ": " + evalue, "  " + GREEN + "cell line 2" + RESET + ": os.Exit(3)"]
    assert content == {"status": "error", "execution_count": 2, "ename": "os.Exit", "evalue": evalue,
                       "traceback": tb, "user_expressions": {}}
    assert outputs == [
        ("execute_input", {"code": code, "execution_count": 2}),
        ("error", {"ename": "os.Exit", "evalue": evalue, "traceback": tb}),
    ]
    assert km.provisioner.process.poll() is None
    assert km.is_alive()
    assert run(kc, "exitState")[1] == result("exitState", 3, "7")


def test_recursion_without_end_is_an_error_and_kernel_survives(fresh):
    km, kc = fresh
    assert run(kc, "recState := 5\nfunc down(n int) int { return down(n+1) + 1 }")[0] == ok_reply(1)
    content, outputs = run(kc, "down(0)")
    assert content["status"] == "error"
    assert (content["ename"], content["evalue"]) == (
        "StackOverflow", "the cell's goroutine stacks grew past 128 MB: a recursion that does not end?")
    assert km.is_alive()
    assert run(kc, "recState")[1] == result("recState", 3, "5")


def test_redefining_a_variable_with_another_type(kc):
    assert run(kc, "redef := 1")[0]["status"] == "ok"
    content, outputs = run(kc, "redef + 1")
    assert outputs == result("redef + 1", content["execution_count"], "2")
    code = 'redef := "now a string"\nredef + "!"'
    content, outputs = run(kc, code)
    assert outputs == result(code, content["execution_count"], "now a string!")
    code = "redef := []int{1, 2}\nlen(redef)"
    content, outputs = run(kc, code)
    assert outputs == result(code, content["execution_count"], "2")
    content, outputs = run(kc, "redef")
    assert outputs == result("redef", content["execution_count"], "[1 2]")


# --- complete, inspect, is_complete ------------------------------------------


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def test_complete_cursor_in_utf16_units(kc):
    code = 's := "héllo😀"\nmlx.Mat'
    end = utf16_len(code)
    assert (end, len(code)) == (22, 21)  # the emoji is two UTF-16 units
    reply = kc.complete(code, end, reply=True, timeout=TIMEOUT)
    assert reply["content"] == {"status": "ok", "matches": ["Matmul", "Matrix"],
                                "cursor_start": 19, "cursor_end": 22, "metadata": kinds(19, 22, Matmul="function", Matrix="function")}
    # The replaced range is exactly "Mat", counted in UTF-16 units.
    units = code.encode("utf-16-le")
    assert units[2 * 19:2 * 22].decode("utf-16-le") == "Mat"
    # With the cursor inside the word, the prefix before it is completed.
    reply = kc.complete(code, end - 1, reply=True, timeout=TIMEOUT)
    assert reply["content"] == {"status": "ok", "matches": ["Matmul", "Matrix", "Max", "Maximum"],
                                "cursor_start": 19, "cursor_end": 21,
                                "metadata": kinds(19, 21, Matmul="function", Matrix="function", Max="function", Maximum="function")}


def kinds(start, end, **types):
    """The metadata of a complete_reply whose matches have these kinds."""
    return {"_jupyter_types_experimental": [{"start": start, "end": end, "text": name, "type": kind}
                                            for name, kind in types.items()]}


def test_complete_reports_kinds(kc):
    run(kc, "type Shape struct{ W, H float64 }\n"
            "func (s Shape) Area() float64 { return s.W * s.H }\n"
            "func shapeOf(w float64) Shape { return Shape{w, w} }\n"
            "shapeVal := Shape{1, 2}")
    reply = kc.complete("sha", 3, reply=True, timeout=TIMEOUT)
    assert reply["content"]["matches"] == ["shapeOf", "shapeVal"]
    assert reply["content"]["metadata"] == kinds(0, 3, shapeOf="function", shapeVal="variable")
    reply = kc.complete("shapeVal.", 9, reply=True, timeout=TIMEOUT)
    assert reply["content"]["metadata"] == kinds(9, 9, Area="method", H="field", W="field")
    reply = kc.complete("ma", 2, reply=True, timeout=TIMEOUT)
    got = {t["text"]: t["type"] for t in reply["content"]["metadata"]["_jupyter_types_experimental"]}
    assert (got["make"], got["map"], got["max"]) == ("function", "keyword", "function")


def test_inspect_shows_signature_and_doc(kc):
    reply = kc.inspect("mlx.Matmul", len("mlx.Matmul"), reply=True, timeout=TIMEOUT)
    text = ("func Matmul(x, y any) *Array\n\n"
            "Matmul returns the matrix product of x and y (batched over leading axes; "
            "1-D operands are treated as vectors).\n"
            "x and y may be *Array values or Go numbers or slices.")
    assert reply["content"] == {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}


def test_is_complete_open_function(kc):
    msg_id = kc.is_complete("func f() {")
    reply = shell_reply(kc, msg_id)
    assert reply["msg_type"] == "is_complete_reply"
    assert reply["content"] == {"status": "incomplete", "indent": "    "}
