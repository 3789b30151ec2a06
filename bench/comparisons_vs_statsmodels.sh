#!/usr/bin/env bash
# Runs the same comparisons through Sevres and through the Python peers in one run and prints
# the throughput ratios:
#   * DerSimonian–Laird and Paule–Mandel on 10 000 comparisons of 12 participants:
#     statsmodels.stats.meta_analysis.combine_effects(method_re="dl" / "pm") against
#     `sevres comparison batch --method dl / pm` (whole process: start-up, JSON in and out);
#   * Cox procedure B with 10⁶ Monte Carlo draws on one comparison of 12 participants: the
#     usual numpy vectorised form (draw, median per draw, spread, DoE per participant) against
#     `sevres comparison analyse --method procedure-b --draws 1000000` (whole process).
# Two Sevres figures are printed: the engine timed in-process like the peers (data sets read
# first, then only the evaluations timed; crates/comparison/examples/time_engine.rs), and the
# whole `sevres` process (start-up, JSON parsing with validation, output). The peers are
# installed into a temporary folder that is removed afterwards; they are timed inside their own
# process after start-up, imports and data loading; every in-process figure is the best of three.
#
# Usage: bench/comparisons_vs_statsmodels.sh [N]   (N comparisons, default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building sevres (release)..." >&2
cargo build --release -q -p sevres-cli
cargo build --release -q -p sevres-comparison --features serde --example time_engine
engine=${CARGO_TARGET_DIR:-$PWD/target}/release/examples/time_engine
sevres=${CARGO_TARGET_DIR:-$PWD/target}/release/sevres

echo "installing statsmodels and numpy into $work..." >&2
python3 -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q statsmodels numpy >/dev/null

# Synthetic comparisons with dark uncertainty, seeded; the same file feeds both sides.
"$work/venv/bin/python" - "$n" "$work" <<'PY'
import json, sys
import numpy as np
n, work = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20261203)
with open(f"{work}/sets.jsonl", "w") as out:
    for i in range(n):
        u = rng.uniform(0.5, 2.0, 12)
        x = 100.0 + rng.normal(0.0, 1.0, 12) * np.sqrt(u**2 + 1.0)
        out.write(json.dumps({"id": f"S{i}", "unit": "kBq", "participants": [
            {"lab": f"L{j}", "x": float(x[j]), "u": float(u[j])} for j in range(12)]}) + "\n")
first = json.loads(open(f"{work}/sets.jsonl").readline())
json.dump(first, open(f"{work}/one.json", "w"))
PY

cat > "$work/meta.py" <<'PY'
import json, sys, time, warnings
import numpy as np
from statsmodels.stats.meta_analysis import combine_effects
warnings.simplefilter("ignore")
sets = [json.loads(l) for l in open(sys.argv[1])]
data = [(np.array([p["x"] for p in s["participants"]]),
         np.array([p["u"] for p in s["participants"]]) ** 2) for s in sets]
method = sys.argv[2]
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    for x, v in data:
        r = combine_effects(x, v, method_re=method)
        r.mean_effect_re, r.sd_eff_w_re, r.tau2
    best = min(best, time.perf_counter() - start)
print(best)
PY

cat > "$work/procb.py" <<'PY'
import json, sys, time
import numpy as np
s = json.load(open(sys.argv[1]))
draws = int(sys.argv[2])
x = np.array([p["x"] for p in s["participants"]])
u = np.array([p["u"] for p in s["participants"]])
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    rng = np.random.default_rng(1)
    sims = rng.normal(x, u, size=(draws, x.size))
    med = np.median(sims, axis=1)
    kcrv, u_kcrv = np.median(x), med.std(ddof=1)
    low, high = np.quantile(med, [0.025, 0.975])
    u_d = (sims - med[:, None]).std(axis=0, ddof=1)
    best = min(best, time.perf_counter() - start)
print(best)
PY

secs() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$@"; }
timed() {  # timed CMD... : runs CMD, prints elapsed seconds
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/out" 
  end=$(date +%s.%N)
  secs "$start" "$end"
}

t_dl=$(timed sh -c "'$sevres' comparison batch --method dl < '$work/sets.jsonl'")
errors=$(grep -c '"error"' "$work/out" || true)
[ "$errors" = 0 ] || echo "sevres dl: $errors errors" >&2
t_pm=$(timed sh -c "'$sevres' comparison batch --method pm < '$work/sets.jsonl'")
t_b=$(timed "$sevres" comparison analyse "$work/one.json" --method procedure-b --draws 1000000)
e_dl=$("$engine" "$work/sets.jsonl" dl)
e_pm=$("$engine" "$work/sets.jsonl" pm)
python3 -c "import json; print(json.dumps(json.load(open('$work/one.json'))))" > "$work/one.jsonl"
e_b=$("$engine" "$work/one.jsonl" procedure-b 1000000)
p_dl=$("$work/venv/bin/python" "$work/meta.py" "$work/sets.jsonl" dl)
p_pm=$("$work/venv/bin/python" "$work/meta.py" "$work/sets.jsonl" pm)
p_b=$("$work/venv/bin/python" "$work/procb.py" "$work/one.json" 1000000)

python3 - "$n" "$t_dl" "$p_dl" "$t_pm" "$p_pm" "$t_b" "$p_b" "$e_dl" "$e_pm" "$e_b" <<'PY'
import sys
n = int(sys.argv[1])
t_dl, p_dl, t_pm, p_pm, t_b, p_b, e_dl, e_pm, e_b = map(float, sys.argv[2:])
print(f"{n} comparisons of 12 participants          engine (in-process)      whole sevres process")
for name, e, t, p, goal in [("DerSimonian-Laird", e_dl, t_dl, p_dl, 100), ("Paule-Mandel", e_pm, t_pm, p_pm, 100)]:
    print(f"  {name:18s} statsmodels {p:7.3f} s   sevres {e:8.4f} s {p / e:7.1f}x   {t:7.3f} s {p / t:6.1f}x   (goal >= {goal}x)")
print("procedure B, 12 participants, 10^6 draws")
print(f"  {'':18s} numpy       {p_b:7.3f} s   sevres {e_b:8.4f} s {p_b / e_b:7.1f}x   {t_b:7.3f} s {p_b / t_b:6.1f}x   (goal >= 5x)")
PY
