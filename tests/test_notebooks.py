"""The example notebooks execute through the real kernel (nbclient, as nbconvert
does) and every output equals the stored one, after normalising volatile parts."""
import copy
import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted(f for f in os.listdir(os.path.join(ROOT, "notebooks")) if f.endswith(".ipynb"))

VOLATILE = [
    # %timeit picks its loop and repeat counts from the first timing.
    (re.compile(r"\d+ loops, best of \d+:"), "N loops, best of R:"),
    (re.compile(r"0x[0-9a-f]{6,}"), "0xADDR"),
    (re.compile(r"[\d.]+(e[+-]\d+)? it/s"), "RATE it/s"),
    (re.compile(r"\d+(\.\d+)?\s?(ns|µs|us|ms|s)\b"), "DURATION"),
]


def normalise_text(s):
    for rx, repl in VOLATILE:
        s = rx.sub(repl, s)
    return s


def merge_streams(outputs):
    """Joins consecutive stream outputs of the same name: how a cell's text is
    split into messages depends on timing, not on what the cell printed."""
    merged = []
    for o in outputs:
        if (o.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == o.get("name")):
            prev = dict(merged[-1])
            text = lambda x: "".join(x) if isinstance(x, list) else x
            prev["text"] = text(prev["text"]) + text(o["text"])
            merged[-1] = prev
        else:
            merged.append(o)
    return merged


def normalise(outputs):
    out = []
    for o in merge_streams(outputs):
        o = copy.deepcopy(dict(o))
        o.pop("execution_count", None)
        if "text" in o:
            o["text"] = normalise_text("".join(o["text"]) if isinstance(o["text"], list) else o["text"])
        if "data" in o:
            o["data"] = {k: normalise_text("".join(v) if isinstance(v, list) else v) if isinstance(v, (str, list)) else v
                         for k, v in o["data"].items() if not k.startswith("image/")}
        if "traceback" in o:
            o["traceback"] = [normalise_text(t) for t in o["traceback"]]
        o.pop("metadata", None)
        out.append(o)
    return out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_outputs_match(name):
    path = os.path.join(ROOT, "notebooks", name)
    stored = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(stored)
    for c in fresh.cells:
        if c.cell_type == "code":
            c.outputs = []
    NotebookClient(fresh, timeout=120, kernel_name="mlxgo", allow_errors=True,
                   resources={"metadata": {"path": os.path.join(ROOT, "notebooks")}}).execute()
    code_cells = [(s, f) for s, f in zip(stored.cells, fresh.cells) if s.cell_type == "code"]
    assert code_cells, "notebook has no code cells"
    for i, (s, f) in enumerate(code_cells):
        assert normalise(f.outputs) == normalise(s.outputs), f"{name}: code cell {i} differs:\n{f.source}"
