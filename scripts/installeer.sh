#!/usr/bin/env bash
# Installs what contractgen needs on a fresh machine: LibreOffice (when missing),
# fonts, and a virtual environment with the package and its test tools; and a second one
# (.venv-unoserver) with the LibreOffice converter service for build --converter.
set -euo pipefail
cd "$(dirname "$0")/.."

als_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

nodig=()
command -v soffice >/dev/null 2>&1 || nodig+=(libreoffice-writer-nogui)
# fc-list read once: piped into `grep -q` under pipefail it dies of SIGPIPE and the font looks missing
fonts="$(fc-list 2>/dev/null || true)"
grep -q "Liberation Sans" <<<"$fonts" || nodig+=(fonts-liberation)
grep -q "Carlito" <<<"$fonts" || nodig+=(fonts-crosextra-carlito)
grep -q "DejaVu Sans" <<<"$fonts" || nodig+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || nodig+=(poppler-utils)
# build --converter talks to unoserver services; the tests start two of them, which needs
# LibreOffice's Python bridge (python3-uno, for the system Python) and venv support there
SYSTEEM_PYTHON=/usr/bin/python3
"$SYSTEEM_PYTHON" -c "import uno" >/dev/null 2>&1 || nodig+=(python3-uno)
"$SYSTEEM_PYTHON" -c "import ensurepip" >/dev/null 2>&1 || nodig+=(python3-venv)
# the workplace's browser tests drive Debian's Chromium (Playwright never downloads a browser here);
# the scale tests start their own PostgreSQL and Redis servers (.ci/run, tests/diensten.py)
command -v chromium >/dev/null 2>&1 || nodig+=(chromium)
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || nodig+=(postgresql)
command -v redis-server >/dev/null 2>&1 || nodig+=(redis-server)
# an independent reader of our redlines: the tests accept and reject with pandoc --track-changes
command -v pandoc >/dev/null 2>&1 || nodig+=(pandoc)
# PDF/A: Apache PDFBox Preflight (a PDF/A-1b validator; no PDF/A-2 validator is packaged) for tests/test_pdf.py
[ -f /usr/share/java/preflight.jar ] || nodig+=(libpdfbox2-java)
[ -f /usr/share/java/javax.activation.jar ] || nodig+=(libactivation-java)
[ -f /usr/share/java/jaxb-api.jar ] || nodig+=(libjaxb-api-java)
command -v java >/dev/null 2>&1 || nodig+=(default-jre-headless)
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
# the unoserver server (docs/beheerder/omzetdiensten.md) in its own venv: it must run under the Python that has
# `uno`; --system-site-packages makes that importable. Same bound as the client in pyproject.toml.
if [ ! -x .venv-unoserver/bin/python ]; then
  "$SYSTEEM_PYTHON" -m venv --system-site-packages .venv-unoserver
fi
.venv-unoserver/bin/python -m pip install -q "unoserver>=3.7,<4"

echo "klaar: $(.venv/bin/contractgen --versie), $(soffice --version | head -n1), $(.venv-unoserver/bin/unoserver --version 2>&1 | tail -n1)"
