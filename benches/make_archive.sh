#!/usr/bin/env bash
# Builds an archive of report PDFs from the fixtures for the performance comparison:
#   bash benches/make_archive.sh N DIR
# DIR/digital holds N/2 digital PDFs and DIR/scan N/2 OCR'd scans, copies of the fixture
# reports of May-August 2020, each varied (a comment appended after its end marker) so that
# no two files are the same.
set -euo pipefail
n=${1:-1000}
dir=${2:?usage: make_archive.sh N DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir/digital" "$dir/scan"
for kind in digital scan; do
  sources=("$here"/fixtures/reports/csr-2020-0[5-8]-"$kind".pdf)
  for ((i = 0; i < n / 2; i++)); do
    src=${sources[$((i % ${#sources[@]}))]}
    out="$dir/$kind/$(printf '%04d' "$i")-$(basename "$src")"
    { cat "$src"; printf '\n%% archive copy %d\n' "$i"; } > "$out"
  done
done
echo "made $(find "$dir" -name '*.pdf' | wc -l) PDFs in $dir"
