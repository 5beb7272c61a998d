#!/usr/bin/env bash
# Installs what contractgen needs on a fresh machine: LibreOffice (when missing),
# fonts, and a virtual environment with the package and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

als_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

nodig=()
command -v soffice >/dev/null 2>&1 || nodig+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -q "Liberation Sans" || nodig+=(fonts-liberation)
fc-list 2>/dev/null | grep -q "Carlito" || nodig+=(fonts-crosextra-carlito)
fc-list 2>/dev/null | grep -q "DejaVu Sans" || nodig+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || nodig+=(poppler-utils)
if [ ${#nodig[@]} -gt 0 ]; then
  echo "installeren met apt-get: ${nodig[*]}"
  als_root apt-get update -qq
  als_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${nodig[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
echo "klaar: $(.venv/bin/contractgen --versie), $(soffice --version | head -n1)"
