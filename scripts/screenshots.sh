#!/usr/bin/env bash
# Regenerates the screenshots README shows (docs/*.png) from the current code: ingests the
# fixtures (which builds the site) and has headless Chromium draw the register and one
# modification's page. Usage: bash scripts/screenshots.sh [SECREG_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
secreg=${1:-target/debug/secreg}
chromium=${SECREG_CHROMIUM:-/usr/bin/chromium}
[ -x "$secreg" ] || cargo build --locked
out=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$out" "$profile"' EXIT
"$secreg" ingest fixtures/reports --out "$out" --quiet
shoot() { # PAGE PNG HEIGHT
    "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
        --disable-background-networking --disable-component-update --disable-extensions \
        --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$profile" \
        --window-size=1280,"$3" --screenshot="$2" "file://$out/site/$1" >/dev/null 2>&1
    echo "wrote $2"
}
shoot index.html docs/register.png 900
shoot m/MP105.html docs/modification-MP105.png 1100
