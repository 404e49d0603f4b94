//go:build unix && !linux

package interp

import "syscall"

// dupTo makes newfd refer to the same open file as oldfd.
func dupTo(oldfd, newfd int) error { return syscall.Dup2(oldfd, newfd) }
