#!/usr/bin/env bash
# Create (idempotently) the venv used by check.py, with the pinned versions of requirements.txt.
#   usage: install.sh [VENV_DIR]      (default: $FX_VENV or /tmp/fx-venv)
#   env:   PYTHON=python3.11          (interpreter used to create the venv; default python3)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${1:-${FX_VENV:-/tmp/fx-venv}}"
PY="${PYTHON:-python3}"
REQ="$HERE/requirements.txt"
STAMP="$VENV/.fx-requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
   && "$VENV/bin/python" -c 'import facturx, saxonche' 2>/dev/null; then
  echo "fx-venv up to date: $VENV"
  exit 0
fi

echo "installing pinned Factur-X validation env into $VENV"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQ"
"$VENV/bin/python" -c 'import facturx, saxonche; print("factur-x", facturx.facturx.VERSION, "/ saxonche", saxonche.__version__ if hasattr(saxonche, "__version__") else "?")'
echo "$want" > "$STAMP"
