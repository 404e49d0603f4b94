//go:build unix

package interp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	yaegi "github.com/traefik/yaegi/interp"
)

const fdChildEnv = "MLXGO_INTERP_FDCAPTURE_CHILD"

// TestCaptureFDs runs itself in a child process, since the capture
// redirects the whole process's fds 1 and 2.
func TestCaptureFDs(t *testing.T) {
	if os.Getenv(fdChildEnv) == "1" {
		fdCaptureChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCaptureFDs$", "-test.count=1")
	cmd.Env = append(os.Environ(), fdChildEnv+"=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "CHILD-OK") {
		t.Errorf("child stdout:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "kernel log line") {
		t.Errorf("OriginalStderr did not reach the real stderr; child stderr:\n%s", stderr.String())
	}
	for _, leaked := range []string{"raw fd 1", "raw fd 2", "from C", "via fmt"} {
		if strings.Contains(stdout.String()+stderr.String(), leaked) {
			t.Errorf("captured text %q leaked to the real fds", leaked)
		}
	}
}

func fdCaptureChild() {
	fail := func(format string, args ...any) {
		fmt.Fprintf(OriginalStderr(), "CHILD-FAIL: "+format+"\n", args...)
		RestoreFDs()
		os.Exit(1)
	}
	if err := CaptureFDs(); err != nil {
		fail("CaptureFDs: %v", err)
	}
	s, err := newSession(yaegi.Exports{"testhook/testhook": {"CPuts": reflect.ValueOf(cPuts)}})
	if err != nil {
		fail("newSession: %v", err)
	}
	defer s.Close()
	out := &fakeOutput{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, e := s.Execute(ctx, `import (
	"fmt"
	"syscall"
	"testhook"
)
fmt.Println("via fmt")
syscall.Write(1, []byte("raw fd 1\n"))
syscall.Write(2, []byte("raw fd 2\n"))
testhook.CPuts("C stderr\n", true)
testhook.CPuts("from C, no newline", false)`, out)
	if e != nil {
		fail("Execute: %s: %s", e.Name, e.Value)
	}
	fmt.Fprintln(OriginalStderr(), "kernel log line")
	stdout, stderr := out.stream("stdout"), out.stream("stderr")
	for _, want := range []string{"via fmt\n", "raw fd 1\n", "from C, no newline"} {
		if !strings.Contains(stdout, want) {
			fail("stdout %q lacks %q", stdout, want)
		}
	}
	for _, want := range []string{"raw fd 2\n", "C stderr\n"} {
		if !strings.Contains(stderr, want) {
			fail("stderr %q lacks %q", stderr, want)
		}
	}
	if err := RestoreFDs(); err != nil {
		fail("RestoreFDs: %v", err)
	}
	fmt.Println("CHILD-OK")
}
