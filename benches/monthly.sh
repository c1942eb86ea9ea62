#!/usr/bin/env bash
# The monthly run (issue 26): one new report joining an archive already in the cache.
#
#   bash benches/monthly.sh [BINARY [OLD_BINARY]]    # default target/release/secreg
#
# Three runs, each timed ROUNDS times (default 5), alternating, medians, peak RSS by
# /usr/bin/time:
#   one    one digital report (June 2020), `ingest --force`, every table written (Parquet and
#          CSV) and the site, against `pdftotext -layout` on the same file, paired;
#   150+1  150 reports in the cache (half digital, half scans) and one new digital report;
#   1000   1,000 reports in the cache, nothing changed; and 1,000 + 1 new.
# "New" is new each round: the round before it the new file is taken out and the archive
# ingested again (not timed), so the cache no longer holds it.
# With OLD_BINARY, every secreg run is also run with it, each in its own output folder,
# alternating, and the ratio new/old printed: the way to compare two builds on a shared
# machine. Set SECREG_PROFILE=1 to see each run's spans (stderr) in a run of its own.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bin=$(realpath "${1:-target/release/secreg}")
old=${2:+$(realpath "$2")}
rounds=${ROUNDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# seconds and peak RSS (kB) of a command, its output discarded
measure() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { sort -n | tail -n 1; }
# (a run under the clock's hundredth against another has no ratio: "-", not "nan")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }

new_report() { # a digital report no archive copy equals
  { cat fixtures/reports/csr-2020-06-digital.pdf; printf '\n%% monthly new %s\n' "$1"; } > "$2"
}

# builds $1 (secreg binary) into its out folder: archive $2 ingested once
warm() { "$1" ingest --quiet --out "$3" "$2" >/dev/null 2>&1 || true; }

binary() { if [[ $1 == new ]]; then echo "$bin"; else echo "$old"; fi; }
row() { printf '%-28s %-26s %8s %8s %10s\n' "$@"; }
row run binary seconds ratio peak_MB

# (a) one report, every table written, against pdftotext on the same file
one=fixtures/reports/csr-2020-06-digital.pdf
: > "$work/p"; : > "$work/s"; : > "$work/m"; : > "$work/os"; : > "$work/om"
for ((r = 0; r < rounds * 2; r++)); do
  read -r s _ < <(measure pdftotext -layout "$one" -); echo "$s" >> "$work/p"
  read -r s m < <(measure "$bin" ingest --quiet --force --jobs 1 --out "$work/one" "$one")
  echo "$s" >> "$work/s"; echo "$m" >> "$work/m"
  if [[ -n $old ]]; then
    read -r s m < <(measure "$old" ingest --quiet --force --jobs 1 --out "$work/one-old" "$one")
    echo "$s" >> "$work/os"; echo "$m" >> "$work/om"
  fi
done
p=$(median < "$work/p"); s=$(median < "$work/s")
row "one report, --force" "pdftotext -layout" "$p" 1.00 -
row "one report, --force" "secreg" "$s" "$(ratio "$s" "$p")" $(($(max < "$work/m") / 1024))
if [[ -n $old ]]; then
  o=$(median < "$work/os")
  row "one report, --force" "old secreg" "$o" "$(ratio "$o" "$p")" $(($(max < "$work/om") / 1024))
fi

# (b), (c): N cached reports, unchanged and + 1 new
cached_runs() { # N
  local n=$1 arch="$work/archive-$1"
  bash benches/make_archive.sh "$n" "$arch" >/dev/null
  local tags=(new); [[ -n $old ]] && tags+=(old)
  for tag in "${tags[@]}"; do
    warm "$(binary "$tag")" "$arch" "$work/out-$n-$tag"
    for kind in unchanged plus1; do : > "$work/$kind-$tag-s"; : > "$work/$kind-$tag-m"; done
  done
  for ((r = 0; r < rounds; r++)); do
    for tag in "${tags[@]}"; do
      local out="$work/out-$n-$tag" b; b=$(binary "$tag")
      rm -f "$arch/digital/new-"*.pdf
      warm "$b" "$arch" "$out" # the new file of the round before leaves the cache
      read -r s m < <(measure "$b" ingest --quiet --out "$out" "$arch")
      echo "$s" >> "$work/unchanged-$tag-s"; echo "$m" >> "$work/unchanged-$tag-m"
      new_report "$r" "$arch/digital/new-$r.pdf"
      read -r s m < <(measure "$b" ingest --quiet --out "$out" "$arch")
      echo "$s" >> "$work/plus1-$tag-s"; echo "$m" >> "$work/plus1-$tag-m"
    done
  done
  for kind in unchanged plus1; do
    local label="$n cached, nothing new"; [[ $kind == plus1 ]] && label="$n cached + 1 new"
    local s; s=$(median < "$work/$kind-new-s")
    local m; m=$(max < "$work/$kind-new-m")
    if [[ -n $old ]]; then
      local o; o=$(median < "$work/$kind-old-s")
      local om; om=$(max < "$work/$kind-old-m")
      row "$label" "old secreg" "$o" 1.00 $((om / 1024))
      row "$label" "secreg" "$s" "$(ratio "$s" "$o")" $((m / 1024))
    else
      row "$label" "secreg" "$s" - $((m / 1024))
    fi
  done
  rm -rf "$arch" "$work/out-$n-"*
}
cached_runs 150
cached_runs 1000
cpu=$(awk -F': ' '/^model name/ {n = $2} END {print n}' /proc/cpuinfo)
echo "($rounds rounds, medians, peak RSS the largest; one report: $((rounds * 2)) rounds;" \
  "machine: $(nproc) cores of $cpu, load average $(cut -d' ' -f1-3 /proc/loadavg))"
