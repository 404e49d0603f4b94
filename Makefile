# mlxgo: `make setup` (idempotent) creates .venv with the pinned wheels, links
# .sdk to the MLX C++ SDK inside the backend wheel and builds bin/mlxgo.
# `make test` runs every test. MLXGO_BACKEND=cuda selects the CUDA wheel.

PYTHON  ?= python3
BACKEND ?= $(if $(MLXGO_BACKEND),$(MLXGO_BACKEND),cpu)
VENV    := .venv
VPY     := $(VENV)/bin/python
REQS    := install/requirements$(if $(filter cuda,$(BACKEND)),-cuda,).txt
STAMP   := $(VENV)/.installed-$(BACKEND)
GO      ?= go
GOFILES := $(shell find . -name '*.go' -not -path './.venv/*' 2>/dev/null) $(wildcard mlx/*.cpp mlx/*.h)

.PHONY: setup test gotest pytest bench vet fmt clean

setup: $(STAMP) .sdk bin/mlxgo

$(STAMP): $(REQS)
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --disable-pip-version-check -q -r $(REQS)
	rm -f $(VENV)/.installed-*
	touch $@

# .sdk -> <venv site-packages>/mlx: the wheel's include/ and lib/ (see mlx/cgo.go).
.sdk: $(STAMP)
	ln -sfn "$$($(VPY) -c 'import sysconfig, os; print(os.path.join(sysconfig.get_paths()["purelib"], "mlx"))')" .sdk
	test -f .sdk/include/mlx/mlx.h && test -f .sdk/lib/libmlx.so

bin/mlxgo: .sdk $(GOFILES) go.mod
	$(GO) build -o bin/mlxgo .

test: setup vet gotest pytest

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet ./...

gotest: setup
	$(GO) test -count=1 ./...

pytest: setup
	$(VPY) -m pytest -q tests

bench: setup
	$(GO) test -run '^$$' -bench . -benchtime 2s ./mlx/...
	$(VPY) tests/bench/mlx_ops.py

clean:
	rm -rf bin .sdk $(VENV)
