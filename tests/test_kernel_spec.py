"""The kernel against jupyter_kernel_test's protocol checks, every attribute filled."""
import unittest

import jupyter_kernel_test

from conftest import SEED_BLOCK, SEED_CELL


class MlxgoKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "mlxgo"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    code_stderr = 'import (\n\t"fmt"\n\t"os"\n)\nfmt.Fprintln(os.Stderr, "to stderr")'

    completion_samples = [
        {"text": "mlx.Matm", "matches": {"Matmul"}},
        {"text": "grad.ValueF", "matches": {"ValueFunc"}},
        {"text": "grad.Val", "matches": {"ValueFunc", "ValueGrad"}},
        {"text": "mlx.Zeros", "matches": {"Zeros", "ZerosLike"}},
        {"text": "display.Mark", "matches": {"Markdown"}},
        {"text": 'import "strings"\nstrings.Has', "matches": {"HasPrefix", "HasSuffix"}},
    ]
    complete_code_samples = ["x := 1", 'fmt.Println("a")', "func f() int { return 1 }", ""]
    incomplete_code_samples = ["func f() {", "x := mlx.Add(1,", "for i := 0; i < 3; i++ {\n\tfmt.Println(i)"]
    invalid_code_samples = ["x := )", "func {", "1 +* 2 )"]

    code_page_something = "%help mlx.Matmul"

    code_generate_error = "mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1))"

    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": SEED_CELL, "result": SEED_BLOCK},
        {"code": 'mlx.Arange(1, 11)', "result": "mlx array [10]\n  dtype: int32\n  device: cpu\n  values:\n [1]  1  2  3  4  5  6  7  8  9 10"},
        {"code": "mlx.Ones(2, 3)", "mime": "text/html"},
    ]
    code_history_pattern = "1 + 1"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": 'display.HTML("<b>bold</b>")', "mime": "text/html"},
        {"code": "display.Display(mlx.Eye(2))", "mime": "text/plain"},
        {"code": 'display.Markdown("# Title")', "mime": "text/markdown"},
    ]

    code_inspect_sample = "mlx.Matmul"
    code_clear_output = "display.Clear(false)"


# Names that earlier cells declared, defined before any test of the class runs
# (KernelTests shares one kernel per class).
DEFINING_CELL = """import "strings"
// specScale multiplies every element of x by k.
func specScale(x *mlx.Array, k float64) *mlx.Array { return mlx.Mul(x, k) }
type specPoint struct{ X, Y int }
specCount := 3
specArr := mlx.Ones(2, 3)
strings.Repeat("=", specCount)"""


class _Defined:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply = cls.kc.execute_interactive(DEFINING_CELL, allow_stdin=False, timeout=60, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok", reply["content"]


class MlxgoCellNamesKernelTests(_Defined, MlxgoKernelTests):
    """The same protocol checks, with completion and inspection of cell-defined names."""
    completion_samples = [
        {"text": "specSc", "matches": {"specScale"}},
        {"text": "specP", "matches": {"specPoint"}},
        {"text": "specCo", "matches": {"specCount"}},
        {"text": "spec", "matches": {"specArr", "specCount", "specPoint", "specScale"}},
        {"text": "x := specArr.Resh", "matches": {"Reshape"}},
        {"text": "strings.Has", "matches": {"HasPrefix", "HasSuffix"}},
    ]
    code_inspect_sample = "specScale"


class MlxgoStdlibKernelTests(_Defined, MlxgoKernelTests):
    """The same protocol checks, inspecting a standard-library function and a grad one."""
    completion_samples = [
        {"text": "strings.Rep", "matches": {"Repeat", "Replace", "ReplaceAll", "Replacer"}},
        {"text": "grad.ValueG", "matches": {"ValueGrad"}},
    ]
    code_inspect_sample = "strings.Repeat"


class MlxgoGradKernelTests(MlxgoKernelTests):
    """The same protocol checks, inspecting a grad function."""
    code_inspect_sample = "grad.ValueFunc"


if __name__ == "__main__":
    unittest.main()
