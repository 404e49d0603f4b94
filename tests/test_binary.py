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


def test_install_writes_kernelspec(tmp_path):
    import json
    out = subprocess.run([os.path.join(ROOT, "bin", "mlxgo"), "install", "--prefix", str(tmp_path)],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / "mlxgo"
    assert str(spec_dir) in out
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec == {
        "argv": [os.path.realpath(os.path.join(ROOT, "bin", "mlxgo")), "kernel", "--connection-file",
                 "{connection_file}"],
        "display_name": "Go (MLX)",
        "language": "go",
        "interrupt_mode": "message",
        "env": {},
        "metadata": {},
    }
    for logo in ("logo-32x32.png", "logo-64x64.png"):
        assert (spec_dir / logo).read_bytes().startswith(b"\x89PNG")


def test_kernel_ignores_unknown_flags(tmp_path):
    """Clients append flags such as --Kernel.stop_on_error_timeout=0; a missing
    connection file is still reported clearly."""
    p = subprocess.run([os.path.join(ROOT, "bin", "mlxgo"), "kernel", "--Kernel.stop_on_error_timeout=0",
                        "--connection-file", str(tmp_path / "missing.json")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert "reading connection file" in p.stderr
    assert "missing.json" in p.stderr
