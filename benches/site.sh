#!/usr/bin/env bash
# Times `secreg site` over the tables of a 1,000-report archive (benches/make_archive.sh):
#   bash benches/site.sh [SECREG_BINARY] [RUNS]
# The tables are ingested once; then the site is rebuilt RUNS times (each run reads the
# tables back, renders every page and puts the folder in place of the last one).
set -euo pipefail
cd "$(dirname "$0")/.."
secreg=${1:-target/release/secreg}
runs=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bash benches/make_archive.sh 1000 "$dir/archive" >/dev/null
"$secreg" ingest "$dir/archive" --out "$dir/out" --quiet
for ((i = 0; i < runs; i++)); do
    "$secreg" site --out "$dir/out"
done
du -sh "$dir/out/site"
