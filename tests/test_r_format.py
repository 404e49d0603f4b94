"""(*mlx.Array).String() against real R: internal/rformat/rcheck generates
arrays of every dtype and rank from a seeded generator with the real mlx
package; one Rscript builds the same values as R vectors and matrices and
prints them; every values block must be identical. The header lines and the
"(N elements, not shown)" rule (over 100 elements or over 2 dimensions) are
checked here. Needs Rscript (Debian's r-base-core, from install/system-deps.sh)."""
import json
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N_CASES = 800
SEED = 20261126

R_SCRIPT = r"""
options(width = 80, digits = 7)
args <- commandArgs(trailingOnly = TRUE)
lines <- readLines(args[1])
out <- file(args[2], open = "w")
i <- 1
while (i < length(lines)) {
  h <- strsplit(lines[i], " ", fixed = TRUE)[[1]]
  v <- strsplit(lines[i + 1], " ", fixed = TRUE)[[1]]
  i <- i + 2
  type <- h[2]
  ndim <- as.integer(h[3])
  dims <- as.integer(h[-(1:3)])
  x <- switch(type,
    double = as.numeric(v),
    integer = as.integer(v),
    logical = as.logical(v),
    complex = {
      p <- as.numeric(v)
      if (length(p) == 0) complex(0) else
        complex(real = p[c(TRUE, FALSE)], imaginary = p[c(FALSE, TRUE)])
    })
  if (ndim == 2) x <- matrix(x, nrow = dims[1], ncol = dims[2], byrow = TRUE)
  writeLines(c(paste("@@case", h[1]), capture.output(print(x))), out)
}
close(out)
"""


def dims_text(shape):
    return "[" + " x ".join(str(d) for d in shape) + "]" if shape else "[]"


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    if shutil.which("Rscript") is None:
        pytest.fail("Rscript not found: run install/system-deps.sh (Debian's r-base-core)")
    d = tmp_path_factory.mktemp("rcheck")
    subprocess.run(["go", "run", "./internal/rformat/rcheck", "-n", str(N_CASES), "-seed", str(SEED),
                    "-out", str(d)], cwd=ROOT, check=True, timeout=300)
    (d / "check.R").write_text(R_SCRIPT)
    subprocess.run(["Rscript", "--vanilla", str(d / "check.R"), str(d / "cases.txt"), str(d / "r.txt")],
                   check=True, timeout=300)
    r_out, cur = {}, None
    for line in (d / "r.txt").read_text().split("\n"):
        if line.startswith("@@case "):
            cur = int(line.split()[1])
            r_out[cur] = []
        elif cur is not None:
            r_out[cur].append(line)
    for k in r_out:  # drop the empty string after the last line's newline
        while r_out[k] and r_out[k][-1] == "":
            r_out[k].pop()
    return json.loads((d / "cases.json").read_text()), r_out


def test_generator_covers_dtypes_and_ranks(cases):
    cs, _ = cases
    assert len(cs) == N_CASES
    assert {c["dtype"] for c in cs} == {"float16", "bfloat16", "float32", "float64", "int8", "int16",
                                         "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                         "bool", "complex64"}
    assert {len(c["shape"]) for c in cs} == {0, 1, 2, 3}
    assert any(c["size"] == 0 for c in cs)
    assert any(not c["shown"] for c in cs)
    texts = "\n".join(c["text"] for c in cs)
    for s in ("NaN", "Inf", "-Inf", "e+", "e-"):
        assert s in texts, s


def test_headers_and_hidden_values(cases):
    cs, _ = cases
    for c in cs:
        lines = c["text"].split("\n")
        assert lines[0] == "mlx array " + dims_text(c["shape"]), c
        assert lines[1] == "  dtype: " + c["dtype"], c
        assert lines[2] == "  device: cpu" or lines[2] == "  device: gpu", c
        if c["size"] > 100 or len(c["shape"]) > 2:
            assert not c["shown"]
            assert lines[3:] == [f"  ({c['size']} elements, not shown)"], c
        else:
            assert lines[3] == "  values:", c


def test_values_identical_to_r(cases):
    cs, r_out = cases
    shown = [c for c in cs if c["shown"]]
    assert len(shown) >= 500
    assert set(r_out) == {c["id"] for c in shown}
    bad = []
    for c in shown:
        got = c["text"].split("\n")[4:]
        if got != r_out[c["id"]]:
            bad.append(f"case {c['id']} {c['dtype']} {c['shape']}:\n--- R\n" + "\n".join(r_out[c["id"]])
                       + "\n--- Go\n" + "\n".join(got))
    print(f"R comparison: {len(shown) - len(bad)} of {len(shown)} arrays identical")
    assert not bad, f"{len(bad)} of {len(shown)} differ from R:\n" + "\n\n".join(bad[:10])
