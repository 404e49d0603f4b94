#!/usr/bin/env bash
# Debian packages the end-to-end tests need: Chromium for the JupyterLab browser test,
# R (Rscript) for the comparison of array printing with R's (tests/test_r_format.py).
# Installs only what is missing; needs root (as CI runs) or sudo.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v Rscript >/dev/null || missing+=(r-base-core)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
