//go:build unix

package interp

import (
	"errors"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"sync"
	"syscall"
)

// fdCapture is the process-wide redirection of fds 1 and 2 (see CaptureFDs).
var fdCapture struct {
	mu               sync.Mutex
	active           bool
	origOut, origErr *os.File
	out, err         *pipeStream
}

// CaptureFDs redirects the process's file descriptors 1 and 2 into pipes
// whose text is streamed to the Output of the cell that runs (or ran last),
// so that writes that bypass Go's os.Stdout and os.Stderr (printf in C or
// C++ code, child processes, the Go runtime) reach the notebook too. Text
// written before any cell has run goes to the original descriptors.
//
// The originals are duplicated first: OriginalStdout and OriginalStderr
// return them, for the kernel's own logging. CaptureFDs also points the
// standard logger (package log) and the Go runtime's crash output at the
// original stderr, so fatal errors stay visible outside the notebook.
//
// It is opt-in (the kernel calls it; tests need not) and idempotent.
func CaptureFDs() error {
	fdCapture.mu.Lock()
	defer fdCapture.mu.Unlock()
	if fdCapture.active {
		return nil
	}
	origOut, err := dupFile(1, "/dev/stdout (original)")
	if err != nil {
		return err
	}
	origErr, err := dupFile(2, "/dev/stderr (original)")
	if err != nil {
		origOut.Close()
		return err
	}
	out, err := newPipeStream(&streamWriter{name: "stdout", route: globalRoute, fallback: origOut})
	if err != nil {
		origOut.Close()
		origErr.Close()
		return err
	}
	errp, err := newPipeStream(&streamWriter{name: "stderr", route: globalRoute, fallback: origErr})
	if err != nil {
		out.close()
		origOut.Close()
		origErr.Close()
		return err
	}
	flushC()
	if err := dupTo(int(out.w.Fd()), 1); err != nil {
		return fmt.Errorf("interp: redirecting fd 1: %w", err)
	}
	if err := dupTo(int(errp.w.Fd()), 2); err != nil {
		dupTo(int(origOut.Fd()), 1)
		return fmt.Errorf("interp: redirecting fd 2: %w", err)
	}
	fdCapture.origOut, fdCapture.origErr = origOut, origErr
	fdCapture.out, fdCapture.err = out, errp
	fdCapture.active = true
	log.SetOutput(origErr)
	debug.SetCrashOutput(origErr, debug.CrashOptions{})
	return nil
}

// RestoreFDs undoes CaptureFDs: fds 1 and 2 refer to the original files
// again and the capture pipes are drained and closed.
func RestoreFDs() error {
	fdCapture.mu.Lock()
	defer fdCapture.mu.Unlock()
	if !fdCapture.active {
		return nil
	}
	flushC()
	syncFDs()
	err := errors.Join(dupTo(int(fdCapture.origOut.Fd()), 1), dupTo(int(fdCapture.origErr.Fd()), 2))
	fdCapture.out.close()
	fdCapture.err.close()
	log.SetOutput(os.Stderr)
	debug.SetCrashOutput(nil, debug.CrashOptions{})
	fdCapture.origOut.Close()
	fdCapture.origErr.Close()
	fdCapture.origOut, fdCapture.origErr, fdCapture.out, fdCapture.err = nil, nil, nil, nil
	fdCapture.active = false
	return err
}

// OriginalStderr returns the process's stderr as it was before CaptureFDs
// (os.Stderr when fds are not captured). The kernel logs there.
func OriginalStderr() *os.File {
	fdCapture.mu.Lock()
	defer fdCapture.mu.Unlock()
	if fdCapture.active {
		return fdCapture.origErr
	}
	return os.Stderr
}

// OriginalStdout returns the process's stdout as it was before CaptureFDs
// (os.Stdout when fds are not captured).
func OriginalStdout() *os.File {
	fdCapture.mu.Lock()
	defer fdCapture.mu.Unlock()
	if fdCapture.active {
		return fdCapture.origOut
	}
	return os.Stdout
}

// syncFDs flushes C's stdio buffers and waits until the text written to
// the captured fds so far has been forwarded. The caller holds
// fdCapture.mu or knows the capture is active.
func syncFDs() {
	if !fdCapture.active {
		return
	}
	flushC()
	fdCapture.out.sync(barrierTimeout)
	fdCapture.err.sync(barrierTimeout)
}

// syncCapturedFDs is syncFDs for callers that do not hold the lock.
func syncCapturedFDs() {
	fdCapture.mu.Lock()
	defer fdCapture.mu.Unlock()
	syncFDs()
}

func dupFile(fd int, name string) (*os.File, error) {
	nfd, err := syscall.Dup(fd)
	if err != nil {
		return nil, fmt.Errorf("interp: duplicating fd %d: %w", fd, err)
	}
	syscall.CloseOnExec(nfd)
	return os.NewFile(uintptr(nfd), name), nil
}

// globalRoute is where captured fd text goes: the execution that started
// last, in any session.
func globalRoute() *execution { return lastExecution.Load() }
