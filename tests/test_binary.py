"""The built binary runs without LD_LIBRARY_PATH and links the pinned MLX."""
import os
import subprocess

import mlx.core as mx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_version_reports_linked_mlx():
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    out = subprocess.run([os.path.join(ROOT, "bin", "mlxgo"), "version"], env=env,
                         capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.startswith("mlxgo ")
    assert f"MLX {mx.__version__}" in out, out
    assert mx.__version__ == "0.32.4"


def test_unknown_command_fails_with_usage():
    p = subprocess.run([os.path.join(ROOT, "bin", "mlxgo"), "frobnicate"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert "usage" in p.stderr
