package interp

import "testing"

// Variables of the top level set from generic calls: the session's
// functions and the standard library's, in := and var forms.
func TestGenericDefinitions(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import (\n\t\"fmt\"\n\t\"maps\"\n\t\"slices\"\n)")
	mustRun(t, s, "func Id[T any](x T) T { return x }")
	mustRun(t, s, "func Map[T, U any](xs []T, f func(T) U) []U {\n\tvar out []U\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}")
	for _, c := range []struct{ code, want string }{
		{"y := Id(3)\ny + 1", "4"},
		{"xs := []int{5, 6}\ndbl := Map(xs, func(i int) int { return 2 * i })\ntot := 0\nfor _, v := range dbl {\n\ttot += v\n}\ntot", "22"},
		{"type P struct{ N int }\nps := Map([]int{1, 2}, func(i int) P { return P{i} })\nps[1].N", "2"},
		{"arr := Map([]float32{1, 2}, func(f float32) *mlx.Array { return mlx.FromSlice([]float32{f}, 1) })\nlen(arr)", "2"},
		{"func Pair[K comparable, V any](k K, v V) map[K]V { return map[K]V{k: v} }\npm := Pair(\"a\", 1.5)\npm[\"b\"] = 2\npm", "map[a:1.5 b:2]"},
		{"var v2 = Id(\"s\")\nv2", "s"},
		{"var v3 float64 = Id(2.5)\nv3", "2.5"},
		{"var (\n\tv4 = Id(4)\n\tv5 = 5\n)\nv4 + v5", "9"},
		{"func useV6() int { return v6 * 2 }\nvar v6 = Id(3)\nuseV6()", "6"},
		{"a, b := Id(1), Id(\"b\")\nfmt.Sprint(a, b)", "1b"},
		{"m := map[string]int{\"b\": 1, \"a\": 2}\nks := slices.Sorted(maps.Keys(m))\nks", "[a b]"},
		{"mx := slices.Max([]int{1, 7, 2})\nmx", "7"},
		{"i, found := slices.BinarySearch([]int{1, 3, 5}, 3)\nfmt.Sprint(i, found)", "1 true"},
	} {
		if got, _ := mustRun(t, s, c.code); got != c.want {
			t.Errorf("%q = %q, want %q", c.code, got, c.want)
		}
	}
	// An error in the value still names the user's line.
	_, e, _ := run(t, s, "ok := 1\nz := Id(undefinedThing)")
	if e == nil || e.Name != "CompileError" || e.Value[:4] != "2:9:" {
		t.Errorf("error: %v", e)
	}
}

// The standard library's generic functions that yaegi lacks (stdextra/).
func TestStdExtra(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import (\n\t\"maps\"\n\t\"slices\"\n)")
	for _, c := range []struct{ code, want string }{
		{"xs := []int{3, 1, 2}\nslices.Sort(xs)\nxs", "[1 2 3]"},
		{"type Ints []int\nis := Ints{5, 4}\nslices.Sort(is)\nis", "[4 5]"},
		{"ws := []string{\"b\", \"a\"}\nslices.Sort(ws)\nws", "[a b]"},
		{"fs := []float32{2, 1}\nslices.Sort(fs)\nfs", "[1 2]"},
		{"type P struct{ N int }\nps := []P{{3}, {1}, {2}}\nslices.SortFunc(ps, func(a, b P) int { return a.N - b.N })\nps", "[{1} {2} {3}]"},
		{"slices.Min([]float64{2, 0.5, 3})", "0.5"},
		{"slices.IsSorted([]int{1, 2, 2})", "true"},
		{"slices.Collect(maps.Values(map[int]int{1: 2}))", "[2]"},
		{"slices.Repeat([]int{1, 2}, 2)", "[1 2 1 2]"},
		{"rs := []int{1, 2, 3}\nslices.Reverse(rs)\nrs", "[3 2 1]"},
		{"slices.Equal([]int{1}, []int{1})", "true"},
		{"slices.Index([]string{\"a\", \"b\"}, \"b\")", "1"},
		{"slices.Compact([]int{1, 1, 2})", "[1 2]"},
		{"slices.Insert([]int{1, 3}, 1, 2)", "[1 2 3]"},
		{"slices.Concat([]int{1}, []int{2, 3})", "[1 2 3]"},
		{"orig := map[string]int{\"a\": 1}\ncp := maps.Clone(orig)\ncp[\"b\"] = 2\nlen(orig)", "1"},
		{"maps.Equal(map[string]int{\"a\": 1}, map[string]int{\"a\": 1})", "true"},
		{"type Ints []int\nvar named Ints = Ints{3, 1}\nnamed = slices.Clone(named)\nslices.Sort(named)\nnamed", "[1 3]"},
		{"big := make([]float64, 100000)\nfor i := range big {\n\tbig[i] = float64((i * 7919) % 100000)\n}\nslices.Sort(big)\nslices.IsSorted(big)", "true"},
	} {
		if got, _ := mustRun(t, s, c.code); got != c.want {
			t.Errorf("%q = %q, want %q", c.code, got, c.want)
		}
	}
	_, e, out := run(t, s, "slices.Max([]int{})")
	if e == nil || e.Value != "slices.Max: empty list" || stderrOf(out) != "" {
		t.Errorf("slices.Max of nothing: %v, stderr %q", e, stderrOf(out))
	}
}

// Range over the standard library's iterators and other iterator values
// whose type yaegi can tell.
func TestRangeOverLibraryIterators(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import (\n\t\"fmt\"\n\t\"maps\"\n\t\"slices\"\n)")
	mustRun(t, s, "m := map[string]int{\"a\": 1}\nxs := []int{5, 6}")
	mustRun(t, s, "type P struct{ N int }\nfunc (p P) Seq() func(func(int) bool) {\n\treturn func(yield func(int) bool) {\n\t\tfor i := range p.N {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}")
	for _, c := range []struct{ code, want string }{
		{"for k := range maps.Keys(m) {\n\tfmt.Println(k)\n}", "a\n"},
		{"for k, v := range maps.All(m) {\n\tfmt.Println(k, v)\n}", "a 1\n"},
		{"for i, v := range slices.Backward(xs) {\n\tfmt.Println(i, v)\n}", "1 6\n0 5\n"},
		{"for v := range slices.Values(xs) {\n\tif v == 6 {\n\t\tbreak\n\t}\n\tfmt.Println(v)\n}", "5\n"},
		{"for i := range (P{2}).Seq() {\n\tfmt.Println(\"seq\", i)\n}", "seq 0\nseq 1\n"},
	} {
		if _, out := mustRun(t, s, c.code); stdoutOf(out) != c.want {
			t.Errorf("%q printed %q, want %q", c.code, stdoutOf(out), c.want)
		}
	}
}

// A plain type error on a line that calls no generic function is not
// blamed on one.
func TestGenericNoteOnlyAtItsLine(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "func Swap[A, B any](a A, b B) (B, A) { return b, a }")
	_, e, _ := run(t, s, "sb, sa := Swap(1.5, \"x\")\nz := sb + sa")
	if e == nil || e.Value != "2:6: invalid operation: mismatched types string and float64" {
		t.Errorf("error: %v", e)
	}
}
