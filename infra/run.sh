#!/usr/bin/env bash
# Runs the shop on this machine without Spin: builds the storefront and the
# native host, then serves everything on http://127.0.0.1:3000 (embedded
# SQLite in .data/, demo catalog, offline sandbox payments). The README's
# run command. Set COMPTOIR_ADDR / COMPTOIR_DATABASE / COMPTOIR_<VARIABLE>
# to change what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/install-tools.sh
bash infra/build-storefront.sh
cargo build --release -p comptoir-host

# The staff area (/admin) needs a first admin. Unless one is configured, this
# local shop gets admin@comptoir.local with a random password generated once
# and kept in .data/ (readable by this user only).
if [ -z "${COMPTOIR_ADMIN_EMAIL:-}" ]; then
    mkdir -p .data
    if [ ! -s .data/admin-password ]; then
        (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > .data/admin-password)
    fi
    export COMPTOIR_ADMIN_EMAIL=admin@comptoir.local
    COMPTOIR_ADMIN_PASSWORD=$(cat .data/admin-password)
    export COMPTOIR_ADMIN_PASSWORD
    echo "staff area: http://127.0.0.1:3000/admin — $COMPTOIR_ADMIN_EMAIL / password in .data/admin-password"
fi
# State changes are accepted only from the shop's own pages: the public
# address (127.0.0.1:3000) and, so that opening http://localhost:3000 works
# too, localhost.
export COMPTOIR_ALLOWED_ORIGINS="${COMPTOIR_ALLOWED_ORIGINS:-http://localhost:3000}"
exec target/release/comptoir-host
