//go:build !unix

package interp

import (
	"errors"
	"os"
)

// CaptureFDs is not supported on this system.
func CaptureFDs() error {
	return errors.New("interp: fd-level capture is not supported on this system")
}

// RestoreFDs does nothing on this system.
func RestoreFDs() error { return nil }

// OriginalStderr returns os.Stderr.
func OriginalStderr() *os.File { return os.Stderr }

// OriginalStdout returns os.Stdout.
func OriginalStdout() *os.File { return os.Stdout }

func syncCapturedFDs() {}

func globalRoute() *execution { return lastExecution.Load() }
