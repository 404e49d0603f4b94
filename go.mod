module github.com/mlxgo/mlxgo

go 1.26

require github.com/traefik/yaegi v0.16.2-0.20260209085605-fcb76d1ece0c // indirect
