"""Control-channel behaviour that jupyter_kernel_test does not cover: heartbeat,
kernel_info on control, interrupts, shutdown with restart, bad signatures."""
import queue
import time

import pytest
from jupyter_client.session import Session

from conftest import start_kernel, stop_kernel

TIMEOUT = 30


@pytest.fixture
def kernel():
    km, kc = start_kernel()
    try:
        yield km, kc
    finally:
        stop_kernel(km, kc)


def control_request(kc, msg_type, content=None):
    msg = kc.session.msg(msg_type, content or {})
    kc.control_channel.send(msg)
    while True:
        reply = kc.get_control_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def test_heartbeat(kernel):
    km, kc = kernel
    deadline = time.time() + 10
    while not kc.hb_channel.is_beating() and time.time() < deadline:
        time.sleep(0.1)
    assert kc.hb_channel.is_beating()
    assert km.is_alive()


def test_kernel_info_on_control(kernel):
    _, kc = kernel
    reply = control_request(kc, "kernel_info_request")
    assert reply["msg_type"] == "kernel_info_reply"
    content = reply["content"]
    assert content["status"] == "ok"
    assert content["protocol_version"] in ("5.3", "5.4")
    assert content["language_info"]["name"] == "go"
    assert content["implementation"] == "mlxgo"


def test_interrupt_busy_loop_then_next_cell_runs(kernel):
    _, kc = kernel
    msg_id = kc.execute("for {}")
    time.sleep(0.5)
    t0 = time.time()
    reply = control_request(kc, "interrupt_request")
    assert reply["content"]["status"] == "ok"
    ex = shell_reply(kc, msg_id, timeout=5)
    took = time.time() - t0
    assert took < 2.0, f"the interrupted cell took {took:.2f} s to end: {ex['content']}"
    assert ex["content"]["status"] == "error", ex["content"]
    assert "nterrupt" in ex["content"]["ename"] + ex["content"]["evalue"], ex["content"]
    r = kc.execute_interactive("1 + 1", timeout=TIMEOUT)
    assert r["content"]["status"] == "ok"


def test_state_survives_interrupt(kernel):
    _, kc = kernel
    assert kc.execute_interactive("kept := 41", timeout=TIMEOUT)["content"]["status"] == "ok"
    msg_id = kc.execute("for {}")
    time.sleep(0.3)
    control_request(kc, "interrupt_request")
    shell_reply(kc, msg_id, timeout=5)
    outputs = []
    r = kc.execute_interactive("kept + 1", timeout=TIMEOUT, output_hook=outputs.append)
    assert r["content"]["status"] == "ok"
    results = [m for m in outputs if m["msg_type"] == "execute_result"]
    assert results and results[0]["content"]["data"]["text/plain"] == "42"


def test_shutdown_with_restart_exits(kernel):
    km, kc = kernel
    kc.wait_for_ready(timeout=TIMEOUT)
    reply = control_request(kc, "shutdown_request", {"restart": True})
    assert reply["content"] == {"status": "ok", "restart": True}
    # Like every request, the shutdown gets its idle status before the kernel exits.
    states = []
    while "idle" not in states:
        m = kc.get_iopub_msg(timeout=2)
        if m["parent_header"].get("msg_id") == reply["parent_header"]["msg_id"] and m["msg_type"] == "status":
            states.append(m["content"]["execution_state"])
    assert states == ["busy", "idle"]
    proc = km.provisioner.process
    deadline = time.time() + 2.5
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is not None, "kernel still running 2.5 s after shutdown_request"


def test_bad_signature_is_ignored(kernel):
    _, kc = kernel
    forged = Session(key=b"not-the-key", username="attacker")
    msg = forged.msg("execute_request", {"code": 'panic("should never run")', "silent": False,
                                          "store_history": True, "user_expressions": {},
                                          "allow_stdin": False, "stop_on_error": True})
    forged.send(kc.shell_channel.socket, msg)
    with pytest.raises(queue.Empty):
        while True:
            r = kc.get_shell_msg(timeout=1.5)
            if r["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                break
    # The kernel still answers properly signed requests.
    r = kc.execute_interactive("2 * 21", timeout=TIMEOUT)
    assert r["content"]["status"] == "ok"
