#!/usr/bin/env bash
# Fuzzes the native host against its own OpenAPI document with Schemathesis
# (pinned, installed into .tools/venv by infra/install-tools.sh): a fresh
# database, fixtures created over HTTP (fixtures.py), then one run per caller
# — anonymous, a customer, each staff role, and a run that signs in and
# changes its password — with the shop's Origin. A run fails on a 5xx, an
# undocumented status, a wrong content type or an answer that does not match
# its schema; at the end every operation must have answered 2xx at least once
# (check_2xx.py). Prints each run's time and the total.
#
# Uses target/debug/comptoir-host (the test step's build: `cargo build` only
# links the binary). ST_MAX_EXAMPLES overrides the examples per operation,
# ST_ROLES the runs, ST_KEEP=1 keeps the work folder (logs, reports).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=e2e/schemathesis
ST=.tools/venv/bin/st
PY=.tools/venv/bin/python
HOST_BIN=${COMPTOIR_HOST_BIN:-target/debug/comptoir-host}
[ -x "$ST" ] || { echo "schemathesis is missing: run infra/install-tools.sh" >&2; exit 1; }
[ -n "${COMPTOIR_HOST_BIN:-}" ] || cargo build -q -p comptoir-host

WORK=$(mktemp -d)
HOST_PID=
cleanup() {
    if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
    if [ -n "${ST_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export COMPTOIR_ADMIN_EMAIL=admin@fuzz.test COMPTOIR_ADMIN_PASSWORD="administrateur du fuzzing"
# The job runner's bearer: every run but the anonymous one sends it (hooks.py).
export COMPTOIR_JOBS_SECRET="secret du planificateur de fuzzing"
COMPTOIR_DATABASE="$WORK/shop.db" COMPTOIR_ADDR="127.0.0.1:$PORT" COMPTOIR_PUBLIC_BASE_URL="$BASE" \
    COMPTOIR_STOREFRONT="$WORK/dist" RUST_LOG="${RUST_LOG:-warn}" "$HOST_BIN" >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 100); do
    "$PY" -c "import urllib.request; urllib.request.urlopen('$BASE/api/openapi.json')" 2>/dev/null && break
    sleep 0.2
done
"$PY" -c "import urllib.request; open('$WORK/openapi.json', 'wb').write(urllib.request.urlopen('$BASE/api/openapi.json').read())"
"$PY" "$HERE/fixtures.py" "$BASE" "$WORK/ids.json"

export COMPTOIR_FUZZ_IDS="$WORK/ids.json" SCHEMATHESIS_HOOKS="$PWD/$HERE/hooks.py"
total_start=$(date +%s%N)
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# One run: its summary line, and its failures (the run's name in $WORK/$role.failed).
fuzz() {
    local role=$1 only start rc elapsed summary
    case $role in
        # Only what ends a session: kept out of the other runs so theirs lives.
        session) only=(--include-operation-id sign_in --include-operation-id change_password) ;;
        anonymous) only=(--exclude-operation-id change_password) ;;
        *) only=(--exclude-operation-id change_password --exclude-operation-id sign_out) ;;
    esac
    start=$(date +%s%N)
    set +e
    # The document as the shop serves it, read from a file: loaded from its URL,
    # Schemathesis would leave out the operation serving it.
    COMPTOIR_FUZZ_ROLE=$role timeout 600 "$ST" --config-file "$HERE/schemathesis.toml" run "$WORK/openapi.json" \
        -u "$BASE" -H "Origin: $BASE" "${only[@]}" \
        -n "${ST_MAX_EXAMPLES:-8}" --phases examples,coverage,fuzzing --generation-database none \
        -c "${ST_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance}" \
        --report ndjson --report-ndjson-path "$WORK/$role.ndjson" --no-color >"$WORK/$role.log" 2>&1
    rc=$?
    set -e
    elapsed=$(ms "$start")
    summary=$(grep -E "^(=+ )?[0-9]+ (passed|failed)|passed|failed" "$WORK/$role.log" | tail -1)
    printf '  %-10s %4d.%d s  %s\n' "$role" $((elapsed / 1000)) $((elapsed % 1000 / 100)) "$summary"
    if [ "$rc" -ne 0 ]; then
        touch "$WORK/$role.failed"
        sed -n '/FAILURES/,$p' "$WORK/$role.log" | head -200
    fi
}
# The run that changes its password first, alone; then the others in two
# lanes (each Schemathesis process keeps about one core busy).
roles=(${ST_ROLES:-session anonymous customer support warehouse finance admin})
lane() { local i; for ((i = $1; i < ${#roles[@]}; i += 2)); do fuzz "${roles[$i]}"; done; }
if [ "${roles[0]}" = session ]; then fuzz session; roles=("${roles[@]:1}"); fi
lane 0 & first=$!
lane 1
wait "$first"
failed=()
for f in "$WORK"/*.failed; do [ -e "$f" ] && failed+=("$(basename "$f" .failed)"); done
echo "every operation answered 2xx at least once?"
"$PY" "$HERE/check_2xx.py" "$WORK/openapi.json" "$WORK"/*.ndjson || failed+=(2xx)
elapsed=$(ms "$total_start")
printf 'schemathesis: %d.%d s in all\n' $((elapsed / 1000)) $((elapsed % 1000 / 100))
if [ "${#failed[@]}" -ne 0 ]; then
    echo "schemathesis failed: ${failed[*]} (host log below)" >&2
    grep -E "ERROR|WARN|panick" "$WORK/host.log" | tail -40 >&2 || true
    exit 1
fi
