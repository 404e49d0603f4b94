package interp

/*
#include <stdio.h>
#include <stdlib.h>

static void mlxgo_interp_fflush(void) { fflush(NULL); }
static void mlxgo_interp_cputs(const char *s, int err) { fputs(s, err ? stderr : stdout); }
*/
import "C"

import "unsafe"

// flushC flushes C's stdio buffers (printf from C or C++ code), so that
// their text reaches fds 1 and 2 before the end of a cell is reported.
func flushC() { C.mlxgo_interp_fflush() }

// cPuts writes s through C's stdio (stderr if toStderr), buffered as C
// buffers it; the fd-capture test uses it to stand in for C++ library output.
func cPuts(s string, toStderr bool) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	e := 0
	if toStderr {
		e = 1
	}
	C.mlxgo_interp_cputs(cs, C.int(e))
}
