# mlxgo: `make setup` (idempotent) creates .venv with the pinned wheels, links
# .sdk to the MLX C++ SDK inside the backend wheel, builds bin/mlxgo and
# installs the kernelspec "mlxgo" into .venv. `make lab` starts JupyterLab,
# `make test` runs every test. MLXGO_BACKEND=cuda selects the CUDA wheel.

PYTHON  ?= python3
BACKEND ?= $(if $(MLXGO_BACKEND),$(MLXGO_BACKEND),cpu)
VENV    := .venv
VPY     := $(VENV)/bin/python
REQS    := install/requirements$(if $(filter cuda,$(BACKEND)),-cuda,).txt
STAMP   := $(VENV)/.installed-$(BACKEND)
SPEC    := $(VENV)/share/jupyter/kernels/mlxgo/kernel.json
GO      ?= go
GOFILES := $(shell find . -name '*.go' -not -path './.venv/*' 2>/dev/null) $(wildcard mlx/*.cpp mlx/*.h)
LAB_PORT ?= 8888

.PHONY: setup test gotest pytest bench vet lab console system-deps clean

setup: $(STAMP) .sdk bin/mlxgo $(SPEC)

$(STAMP): $(REQS) install/requirements-common.txt
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

$(SPEC): bin/mlxgo
	bin/mlxgo install --prefix $(abspath $(VENV))

system-deps:
	install/system-deps.sh

test: setup vet gotest pytest

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet ./...

gotest: setup
	$(GO) test -count=1 ./...

pytest: setup system-deps
	$(VPY) -m pytest -q -p no:cacheprovider --timeout 300 tests

bench: setup
	$(VPY) tests/bench/mlx_ops.py
	$(VPY) tests/bench/kernel_latency.py

lab: setup
	$(VENV)/bin/jupyter lab --allow-root --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --notebook-dir=notebooks

console: setup
	$(VENV)/bin/jupyter console --kernel mlxgo

clean:
	rm -rf bin .sdk $(VENV)
