package interp

import (
	"slices"
	"testing"
	"time"
)

// completes returns what Complete offers for prefix alone.
func completes(s *Session, prefix string) []string {
	m, _, _ := s.Complete(prefix, len(prefix))
	return m
}

// Completion offers only names that exist after a cell failed: none of a
// cell with a compile error, those a panicking cell assigned before its
// panic (usable in the next cell), not those after it.
func TestCompleteAfterFailedCells(t *testing.T) {
	s := newTestSession(t)
	if _, e, _ := run(t, s, "zzfoo := 1; undefinedThing()"); e == nil || e.Value != "1:13: undefined: undefinedThing" {
		t.Fatalf("got %+v", e)
	}
	if got := completes(s, "zzf"); len(got) != 0 {
		t.Errorf("after a compile error: zzf completes to %v", got)
	}
	run(t, s, "func zzfunc() int { return 3 }\ntype zztype int\nvar zzvar = 5\nundefinedThing()")
	if got := completes(s, "zz"); len(got) != 0 {
		t.Errorf("after a compile error: zz completes to %v", got)
	}
	if text, found := s.Inspect("zzvar", 5); found {
		t.Errorf("Inspect(zzvar) = %q", text)
	}

	_, e, _ := run(t, s, "zzbar := 2\npanic(\"boom\")\nzzbaz := 3")
	if e == nil || e.Value != "boom" {
		t.Fatalf("got %+v", e)
	}
	if got := completes(s, "zzb"); !slices.Equal(got, []string{"zzbar"}) {
		t.Errorf("after a panic: zzb completes to %v, want [zzbar]", got)
	}
	if got, _ := mustRun(t, s, "zzbar"); got != "2" {
		t.Errorf("zzbar = %s", got)
	}
	// Declarations of a cell that panicked took effect before its
	// statements ran: they stay, even below the panic.
	run(t, s, "var zzdecl = 4\npanic(1)\nfunc zzlater() int { return 5 }")
	if got := completes(s, "zzd"); !slices.Equal(got, []string{"zzdecl"}) {
		t.Errorf("zzd completes to %v", got)
	}
	if got, _ := mustRun(t, s, "zzlater() + zzdecl"); got != "9" {
		t.Errorf("zzlater() + zzdecl = %s", got)
	}
	// A name a later cell defines is offered again.
	mustRun(t, s, "zzfoo := 7")
	if got := completes(s, "zzf"); !slices.Equal(got, []string{"zzfoo"}) {
		t.Errorf("after zzfoo := 7: zzf completes to %v", got)
	}
	// A name that existed before a failed cell stays.
	run(t, s, "zzfoo := 8\nundefinedThing()")
	if got := completes(s, "zzf"); !slices.Equal(got, []string{"zzfoo"}) {
		t.Errorf("after a failed redefinition: zzf completes to %v", got)
	}
}

// An interrupted cell keeps the names assigned before the interrupt.
func TestCompleteAfterInterrupt(t *testing.T) {
	s := newTestSession(t)
	err, _ := interruptAfter(t, s, "zzi := 1\nfor {\n}\nzzj := 2", 200*time.Millisecond)
	if err == nil || err.Name != "Interrupted" {
		t.Fatalf("got %+v", err)
	}
	if got := completes(s, "zz"); !slices.Equal(got, []string{"zzi"}) {
		t.Errorf("zz completes to %v, want [zzi]", got)
	}
	if got, _ := mustRun(t, s, "zzi"); got != "1" {
		t.Errorf("zzi = %s", got)
	}
	// %reset forgets everything before it.
	mustRun(t, s, "%reset")
	mustRun(t, s, "zzj := 5")
	if got := completes(s, "zz"); !slices.Equal(got, []string{"zzj"}) {
		t.Errorf("after %%reset: zz completes to %v, want [zzj]", got)
	}
}
