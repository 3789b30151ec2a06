#!/usr/bin/env bash
# Computes OADEV, MDEV and TDEV of the same phase data through Sevres and allantools in one run
# and prints the times and ratios:
#   * octave averaging factors on N phase points (default 10^7);
#   * every averaging factor ("all") on the first M points (default 20 000): all-tau costs
#     O(N^2) in both tools, so 10^7 points would take days in either.
# allantools and numpy are installed into a temporary folder, removed afterwards. allantools is
# timed inside its process after the data is loaded. Sevres is timed twice: in-process the same
# way (crates/timescale/examples/time_stability.rs, best of three) and as the whole
# `sevres time stability` process, reading the text file and computing the confidence
# intervals (which allantools does not) included.
#
# Usage: bench/stability_vs_allantools.sh [N] [M]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
m=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building sevres (release)..." >&2
sevres=${CARGO_TARGET_DIR:-$PWD/target}/release/sevres
if ! cargo build --release -q -p sevres-cli; then
  # The CLI pulls in crates with system dependencies (e.g. libxml2 needs
  # zlib.h); without them only the in-process comparison is made.
  echo "sevres-cli did not build: the whole-process column is left out" >&2
  sevres=""
fi
cargo build --release -q -p sevres-timescale --example time_stability
engine=${CARGO_TARGET_DIR:-$PWD/target}/release/examples/time_stability

echo "installing allantools into $work..." >&2
python3 -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q allantools numpy >/dev/null
py=$work/venv/bin/python

echo "writing $n phase points (white and random-walk FM)..." >&2
"$py" - "$n" "$m" "$work" <<'PY'
import sys
import numpy as np
n, m, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(20261203)
y = rng.normal(0, 1e-12, n) + np.cumsum(rng.normal(0, 1e-15, n))
x = np.concatenate([[0.0], np.cumsum(y[:-1])])
np.savetxt(f"{work}/phase.txt", x, fmt="%.9e")
np.savetxt(f"{work}/phase_small.txt", x[:m], fmt="%.9e")
PY

cat > "$work/allan.py" <<'PY'
import sys, time
import numpy as np
import allantools
x = np.loadtxt(sys.argv[1])
kind, taus = sys.argv[2], sys.argv[3]
fn = {"oadev": allantools.oadev, "mdev": allantools.mdev, "tdev": allantools.tdev}[kind]
start = time.perf_counter()
fn(x, rate=1.0, data_type="phase", taus=taus)
print(time.perf_counter() - start)
PY

secs() {  # secs CMD...: runs CMD, prints the elapsed seconds
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

printf '%-6s %-7s %12s %10s %8s %10s %8s\n' kind taus allantools_s engine_s ratio process_s ratio
for kind in oadev mdev tdev; do
  for taus in octave all; do
    file=$work/phase.txt
    [ "$taus" = all ] && file=$work/phase_small.txt
    s="float('nan')"
    if [ -n "$sevres" ]; then
      s=$(secs "$sevres" time stability --kind "$kind" --data phase --tau0 1 --af "$taus" "$file")
    fi
    e=$("$engine" "$file" "$kind" "$taus")
    a=$("$py" "$work/allan.py" "$file" "$kind" "$taus")
    python3 -c "print(f'{\"$kind\":6s} {\"$taus\":7s} {$a:12.3f} {$e:10.4f} {$a / $e:7.1f}x {$s:10.3f} {$a / $s:7.1f}x')"
  done
done
echo "(octave: $n points; all: $m points; goal >= 20x)"
