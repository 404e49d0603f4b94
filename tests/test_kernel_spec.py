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
        {"text": "mlx.Zeros", "matches": {"Zeros", "ZerosLike"}},
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


if __name__ == "__main__":
    unittest.main()
