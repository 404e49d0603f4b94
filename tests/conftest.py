"""Shared set-up for the end-to-end tests: they run the kernelspec "mlxgo"
that `make setup` installs into the venv (.venv/share/jupyter/kernels/mlxgo)."""
import os
import sys

import pytest
from jupyter_client.manager import start_new_kernel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# jupyter_client looks for kernelspecs under sys.prefix; make sure the venv's is first.
os.environ.setdefault("JUPYTER_PATH", os.path.join(sys.prefix, "share", "jupyter"))
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

SEED_CELL = """loss := func(w, x, y *mlx.Array) *mlx.Array {
	preds := mlx.Matmul(x, w)
	resids := mlx.Sub(preds, y)
	return mlx.Div(mlx.Sum(mlx.Mul(resids, resids)), y.Size())
}
x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
w := mlx.Matrix([]float64{0}, 2, 1)
grad.Grad(loss, w, x, y)[0]"""

SEED_BLOCK = """mlx array [2 x 1]
  dtype: float32
  device: cpu
  values:
      [,1]
[1,] -14.5
[2,] -34.5"""


def start_kernel():
    """Start an mlxgo kernel; return its manager and client."""
    return start_new_kernel(kernel_name="mlxgo", startup_timeout=60)


def stop_kernel(km, kc):
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def shared():
    """One kernel for the tests of a module."""
    km, kc = start_kernel()
    try:
        yield km, kc
    finally:
        stop_kernel(km, kc)
