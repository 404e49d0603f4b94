package mlx

// #include "bridge.h"
import "C"

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// state is the package's only mutable global state: the device new arrays are
// tagged with, the memory watcher, and panics in flight through C++ frames.
var state = &pkgState{panics: map[uint64]any{}, gcStep: 64 << 20}

type pkgState struct {
	device atomic.Int32

	// Memory watcher: MLX buffers are invisible to the Go GC, so the package
	// runs the collector when MLX's active memory has grown by gcStep since
	// the lowest level seen after the last collection.
	created  atomic.Uint64
	memMu    sync.Mutex
	gcBase   uint64
	gcStep   uint64
	gcForced atomic.Uint64

	// Panics raised inside Go callbacks travel through C++ as exception texts
	// "mlxgo-panic:<id>"; the original value waits here.
	panicMu sync.Mutex
	panicID uint64
	panics  map[uint64]any
}

func init() {
	state.device.Store(int32(C.mlxg_default_device()))
}

func (s *pkgState) setDevice(d Device)    { s.device.Store(int32(d)) }
func (s *pkgState) currentDevice() Device { return Device(s.device.Load()) }

// noteCreated is called for every new array; every 64th checks memory.
func (s *pkgState) noteCreated() {
	if s.created.Add(1)%64 == 0 {
		s.checkMemory()
	}
}

// checkMemory runs the Go collector (and so the cleanups that free MLX arrays)
// when MLX's active memory has grown by more than gcStep.
func (s *pkgState) checkMemory() {
	active := uint64(C.mlxg_active_memory())
	s.memMu.Lock()
	if active < s.gcBase {
		s.gcBase = active
	}
	grow := active > s.gcBase+s.gcStep
	if grow {
		s.gcBase = active
	}
	s.memMu.Unlock()
	if grow {
		s.gcForced.Add(1)
		runtime.GC()
	}
}

const panicPrefix = "mlxgo-panic:"

// stashPanic keeps v and returns the text that carries it through C++.
func (s *pkgState) stashPanic(v any) string {
	s.panicMu.Lock()
	s.panicID++
	id := s.panicID
	s.panics[id] = v
	s.panicMu.Unlock()
	return fmt.Sprintf("%s%d: %v", panicPrefix, id, v)
}

// takePanic returns the value stashed for an error text, if any.
func (s *pkgState) takePanic(msg string) (any, bool) {
	i := strings.Index(msg, panicPrefix)
	if i < 0 {
		return nil, false
	}
	rest := msg[i+len(panicPrefix):]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return nil, false
	}
	id, err := strconv.ParseUint(rest[:j], 10, 64)
	if err != nil {
		return nil, false
	}
	s.panicMu.Lock()
	v, ok := s.panics[id]
	delete(s.panics, id)
	s.panicMu.Unlock()
	return v, ok
}

// MemoryStats reports MLX's memory use in bytes.
type MemoryStats struct {
	Active uint64 // bytes held by live arrays
	Peak   uint64 // the highest Active since start
	Cache  uint64 // freed buffers MLX keeps for reuse
}

// Memory returns MLX's current memory statistics.
func Memory() MemoryStats {
	return MemoryStats{
		Active: uint64(C.mlxg_active_memory()),
		Peak:   uint64(C.mlxg_peak_memory()),
		Cache:  uint64(C.mlxg_cache_memory()),
	}
}

// ClearCache returns MLX's cached buffers to the system.
func ClearCache() { C.mlxg_clear_cache() }
