#!/usr/bin/env bash
# Runs the conformance scenarios against Windows' ws2_32/ntdll under Wine and compares the result table with
# the emulated kernel's (written by ConformanceScenariosTest). Exits 1 on any difference.
# Without Wine or MinGW it says so and exits 0, or 1 with --require-wine (or --require-wine=true).
#
#   run-wine.sh [--require-wine[=true|false]] [emulated.tsv]
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
require=false
emulated="$module_dir/target/conformance/emulated.tsv"
for arg in "$@"; do
  case "$arg" in
    --require-wine|--require-wine=true) require=true ;;
    --require-wine=false) require=false ;;
    *) emulated="$arg" ;;
  esac
done

missing() {
  echo "wine-conformance: $1 is not installed; the Wine comparison did not run." >&2
  echo "wine-conformance: install it with: sudo apt-get install --no-install-recommends wine64 wine gcc-mingw-w64-x86-64" >&2
  if [ "$require" = true ]; then exit 1; fi
  exit 0
}

command -v x86_64-w64-mingw32-gcc >/dev/null || missing "MinGW-w64 (x86_64-w64-mingw32-gcc)"
wine=""
for candidate in wine64 wine /usr/lib/wine/wine64; do
  if command -v "$candidate" >/dev/null 2>&1; then wine="$candidate"; break; fi
done
[ -n "$wine" ] || missing "Wine (wine64)"
[ -f "$emulated" ] || { echo "wine-conformance: no emulated table at $emulated; run the tests first" >&2; exit 1; }

out="$module_dir/target/conformance"
mkdir -p "$out"
x86_64-w64-mingw32-gcc -O1 -Wall -o "$out/afd_runner.exe" "$module_dir/src/conformance/afd_runner.c" -lws2_32 -lntdll
WINEPREFIX="$out/wineprefix" WINEDEBUG=-all "$wine" "$out/afd_runner.exe" \
  "$module_dir/src/test/resources/conformance/scenarios.txt" | tr -d '\r' > "$out/wine.tsv"

# Rows where Wine is known to differ from Windows (wine-deviations.tsv) are compared with Wine's observation.
deviations="$module_dir/src/conformance/wine-deviations.tsv"
awk -F'\t' -v OFS='\t' '
  FNR == NR { if ($0 !~ /^#/ && NF == 4) { windows[$1 FS $2] = $3; wine[$1 FS $2] = $4 }; next }
  ($1 FS $2) in windows && $4 == windows[$1 FS $2] {
    print "wine-conformance: " $1 " step " $2 ": Wine is known to report \"" wine[$1 FS $2] "\"" > "/dev/stderr"
    $4 = wine[$1 FS $2]
  }
  { print }
' "$deviations" "$emulated" > "$out/emulated-for-wine.tsv"

if diff -u --label emulated "$out/emulated-for-wine.tsv" --label wine "$out/wine.tsv"; then
  echo "wine-conformance: $(wc -l < "$out/wine.tsv") steps, the emulated kernel and Wine agree"
else
  echo "wine-conformance: the emulated kernel and Wine disagree (see the diff above)" >&2
  exit 1
fi
