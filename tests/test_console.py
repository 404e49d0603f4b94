"""`jupyter console` driven by pexpect runs the seed example and prints the seed block.

With --simple-prompt each line is one cell (the console's simple mode has no
multi-line input), so the seed's func literal is written on one line here;
multi-line continuation through is_complete is covered in test_kernel_spec.
"""
import os
import sys
import time

import pexpect

from conftest import SEED_BLOCK

CELLS = [
    "loss := func(w, x, y *mlx.Array) *mlx.Array { preds := mlx.Matmul(x, w); "
    "resids := mlx.Sub(preds, y); return mlx.Div(mlx.Sum(mlx.Mul(resids, resids)), y.Size()) }",
    "x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)",
    "y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)",
    "w := mlx.Matrix([]float64{0}, 2, 1)",
]


def test_console_runs_seed_example():
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    child = pexpect.spawn(jupyter, ["console", "--kernel", "mlxgo", "--simple-prompt", "--no-confirm-exit"],
                          encoding="utf-8", timeout=60, dimensions=(50, 200))
    try:
        child.expect(r"In \[1\]: ")
        for i, cell in enumerate(CELLS, start=2):
            time.sleep(0.3)
            child.sendline(cell)
            child.expect(rf"In \[{i}\]: ")
            assert "Error" not in child.before, child.before
        time.sleep(0.3)
        child.sendline("grad.Grad(loss, w, x, y)[0]")
        child.expect(r"Out\[5\]: ")
        child.expect(r"In \[6\]: ")
        text = child.before.replace("\r\n", "\n")
        assert SEED_BLOCK in text, text
        time.sleep(0.3)
        child.sendline("mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1))")
        child.expect(r"In \[7\]: ")
        assert "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible" in child.before
        # A progress bar redraws as one text line in a terminal.
        time.sleep(0.3)
        child.sendline('p := display.Progress(5, "work"); for i := 0; i < 5; i++ { p.Add(1) }; p.Done()')
        child.expect(r"In \[\d+\]: ")
        assert "\rwork [##############################] 5/5" in child.before, repr(child.before)
        assert "done in" in child.before
        time.sleep(0.3)
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
