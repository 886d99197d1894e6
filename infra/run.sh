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
exec target/release/comptoir-host
