// Command mlxgo is the Go (MLX) Jupyter kernel.
//
//	mlxgo kernel --connection-file FILE   run the kernel (what Jupyter starts)
//	mlxgo install [--user | --sys-prefix | --prefix DIR]
//	                                      install the kernelspec "mlxgo"
//	mlxgo version                         print versions
package main

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mlxgo/mlxgo/interp"
	"github.com/mlxgo/mlxgo/kernel"
	"github.com/mlxgo/mlxgo/mlx"
)

// version is the mlxgo release.
const version = "0.1.0"

//go:embed install/kernelspec/logo-32x32.png install/kernelspec/logo-64x64.png
var logos embed.FS

const usage = `usage:
  mlxgo kernel --connection-file FILE
  mlxgo install [--user | --sys-prefix | --prefix DIR]
  mlxgo version`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "version", "--version":
		fmt.Printf("mlxgo %s (MLX %s, %s)\n", version, mlx.Version(), runtime.Version())
		return
	case "kernel":
		err = runKernel(os.Args[2:])
	case "install":
		err = install(os.Args[2:], os.Stdout)
	case "help", "--help", "-h":
		fmt.Println(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "mlxgo: unknown command %q\n%s\n", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mlxgo:", err)
		os.Exit(1)
	}
}

// runKernel serves the connection file's sockets. Unknown flags (clients add
// things like --Kernel.stop_on_error_timeout=0) are ignored.
func runKernel(args []string) error {
	var connFile string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--connection-file" || a == "-f":
			if i+1 >= len(args) {
				return fmt.Errorf("%s needs a file name", a)
			}
			connFile = args[i+1]
			i++
		case strings.HasPrefix(a, "--connection-file="):
			connFile = strings.TrimPrefix(a, "--connection-file=")
		case strings.HasPrefix(a, "-"):
			// Unknown option: ignore (and its value, if given as a separate word it starts no dash).
		case connFile == "":
			connFile = a
		}
	}
	if connFile == "" {
		return fmt.Errorf("kernel: no connection file given\n%s", usage)
	}
	conn, err := kernel.ReadConnectionFile(connFile)
	if err != nil {
		return err
	}
	// Cells' C/C++ output (fds 1 and 2) goes to the frontend; the kernel's own
	// log keeps the original stderr, which Jupyter shows in its server log.
	if err := interp.CaptureFDs(); err != nil {
		return fmt.Errorf("capturing output: %w", err)
	}
	logger := log.New(interp.OriginalStderr(), "mlxgo: ", log.LstdFlags)
	session, err := interp.New()
	if err != nil {
		return fmt.Errorf("starting the interpreter: %w", err)
	}
	k := kernel.New(conn, session, kernel.Info{
		Implementation:        "mlxgo",
		ImplementationVersion: version,
		LanguageVersion:       strings.TrimPrefix(runtime.Version(), "go"),
		Banner: fmt.Sprintf("mlxgo %s: Go %s with MLX %s (device: %s). mlx, grad and display are preloaded.",
			version, strings.TrimPrefix(runtime.Version(), "go"), mlx.Version(), mlx.DefaultDevice()),
	}, logger)
	_, err = k.Run(context.Background())
	return err
}

// kernelSpec is kernels/mlxgo/kernel.json.
type kernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata"`
}

// install writes the kernelspec "mlxgo" for the running binary.
func install(args []string, out io.Writer) error {
	var base string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--user":
			home, err := os.UserHomeDir()
			if err != nil {
				return err
			}
			base = filepath.Join(home, ".local", "share", "jupyter")
		case a == "--sys-prefix":
			prefix, err := sysPrefix()
			if err != nil {
				return err
			}
			base = filepath.Join(prefix, "share", "jupyter")
		case a == "--prefix" && i+1 < len(args):
			base = filepath.Join(args[i+1], "share", "jupyter")
			i++
		case strings.HasPrefix(a, "--prefix="):
			base = filepath.Join(strings.TrimPrefix(a, "--prefix="), "share", "jupyter")
		default:
			return fmt.Errorf("install: unknown option %q\n%s", a, usage)
		}
	}
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return err
		}
		base = filepath.Join(home, ".local", "share", "jupyter")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("install: locating the mlxgo binary: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	dir := filepath.Join(base, "kernels", "mlxgo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	spec := kernelSpec{
		Argv:          []string{exe, "kernel", "--connection-file", "{connection_file}"},
		DisplayName:   "Go (MLX)",
		Language:      "go",
		InterruptMode: "message",
		Env:           map[string]string{},
		Metadata:      map[string]any{},
	}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	for _, name := range []string{"logo-32x32.png", "logo-64x64.png"} {
		b, err := logos.ReadFile("install/kernelspec/" + name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("install: %w", err)
		}
	}
	fmt.Fprintf(out, "installed kernelspec mlxgo in %s\n", dir)
	return nil
}

// sysPrefix asks the active Python for sys.prefix (the venv when one is active).
func sysPrefix() (string, error) {
	if v := os.Getenv("VIRTUAL_ENV"); v != "" {
		return v, nil
	}
	for _, py := range []string{"python3", "python"} {
		b, err := exec.Command(py, "-c", "import sys; print(sys.prefix)").Output()
		if err == nil {
			return strings.TrimSpace(string(b)), nil
		}
	}
	return "", fmt.Errorf("install --sys-prefix: no python found to ask for sys.prefix")
}
