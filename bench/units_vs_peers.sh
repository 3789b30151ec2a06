#!/usr/bin/env bash
# Runs the same 100 000 UCUM conversions through Sevres, @lhncbc/ucum-lhc (npm) and pint (PyPI)
# in one run, and prints each one's throughput and the ratios.
#
# The peers are installed into a temporary folder that is removed afterwards. pint does not read
# UCUM codes, so every pair below is also spelled in pint's names; the values and the order of the
# conversions are the same for all three. Each peer converts in its ordinary way (pint: Quantity
# .to(); ucum-lhc: UcumLhcUtils.convertUnitTo), timed inside its own process after its start-up;
# Two Sevres figures are printed: the library timed in-process like the peers (requests read
# first; crates/si/examples/time_conversions.rs), and the whole `sevres units convert` process
# (start-up, JSON in and out included).
# Each side runs several times and the best time counts (the peers repeat their loop in one
# process, so their JIT and caches are warm), which keeps the ratio stable on a busy machine.
#
# Usage: bench/units_vs_peers.sh [N]   (N conversions, default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building sevres (release)..." >&2
cargo build --release -q -p sevres-cli
cargo build --release -q -p sevres-si --example time_conversions
engine=${CARGO_TARGET_DIR:-$PWD/target}/release/examples/time_conversions
sevres=${CARGO_TARGET_DIR:-$PWD/target}/release/sevres

echo "installing pint and @lhncbc/ucum-lhc into $work..." >&2
python3 -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q pint >/dev/null
npm install -s --prefix "$work/node" @lhncbc/ucum-lhc >/dev/null 2>&1

# UCUM from, UCUM to, pint from, pint to.
cat > "$work/pairs.tsv" <<'PAIRS'
km	m	kilometer	meter
[in_i]	cm	inch	centimeter
[ft_i]	m	foot	meter
[mi_i]	km	mile	kilometer
[lb_av]	kg	pound	kilogram
[oz_av]	g	ounce	gram
h	s	hour	second
min	ms	minute	millisecond
km/h	m/s	kilometer/hour	meter/second
mm[Hg]	kPa	mmHg	kilopascal
bar	Pa	bar	pascal
[psi]	kPa	psi	kilopascal
cal	J	calorie	joule
kW.h	MJ	kilowatt_hour	megajoule
L	m3	liter	meter**3
[gal_us]	L	gallon	liter
mg/dL	g/L	milligram/deciliter	gram/liter
mmol/L	mol/m3	millimole/liter	mole/meter**3
eV	J	electron_volt	joule
deg	rad	degree	radian
N.m	J	newton*meter	joule
kg.m/s2	N	kilogram*meter/second**2	newton
Hz	s-1	hertz	1/second
Gy	J/kg	gray	joule/kilogram
PAIRS

python3 - "$n" "$work" <<'PY'
import json, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
pairs = [line.rstrip("\n").split("\t") for line in open(f"{work}/pairs.tsv")]
rng = random.Random(20261123)
with open(f"{work}/input.jsonl", "w") as ucum, open(f"{work}/input_pint.tsv", "w") as pint:
    for _ in range(n):
        uf, ut, pf, pt = rng.choice(pairs)
        v = rng.uniform(0.001, 1000.0)
        ucum.write(json.dumps({"value": v, "from": uf, "to": ut}) + "\n")
        pint.write(f"{v!r}\t{pf}\t{pt}\n")
PY

cat > "$work/pint_run.py" <<'PY'
import sys, time
import pint
ureg = pint.UnitRegistry()
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    out = [ureg.Quantity(float(v), f).to(t).magnitude for v, f, t in rows]
    best = min(best, time.perf_counter() - start)
print(best)
PY
cat > "$work/ucum_run.js" <<'JS'
const fs = require("fs");
const ucum = require(process.argv[3] + "/node_modules/@lhncbc/ucum-lhc");
const utils = ucum.UcumLhcUtils.getInstance();
const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse);
let best = Infinity;
let bad = 0;
for (let run = 0; run < 5; run++) {
  const start = process.hrtime.bigint();
  bad = 0;
  for (const r of rows) {
    const res = utils.convertUnitTo(r.from, r.value, r.to);
    if (res.status !== "succeeded") bad++;
  }
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
if (bad) console.error(`ucum-lhc: ${bad} conversions failed`);
console.log(best);
JS

t_sevres=inf
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$sevres" units convert --notation ucum < "$work/input.jsonl" > "$work/sevres_out.jsonl"
  end=$(date +%s.%N)
  t_sevres=$(python3 -c "print(min(float('$t_sevres'), $end - $start))")
done
errors=$(grep -c '"error"' "$work/sevres_out.jsonl" || true)
[ "$errors" = 0 ] || { echo "sevres: $errors conversions failed" >&2; grep -m3 error "$work/sevres_out.jsonl" >&2; }
t_engine=$("$engine" "$work/input.jsonl")
t_ucum=$(node "$work/ucum_run.js" "$work/input.jsonl" "$work/node")
t_pint=$("$work/venv/bin/python" "$work/pint_run.py" "$work/input_pint.tsv")

python3 - "$n" "$t_sevres" "$t_ucum" "$t_pint" "$t_engine" <<'PY'
import sys
n = int(sys.argv[1]); s, u, p, e = map(float, sys.argv[2:])
print(f"{n} UCUM conversions")
for name, t in [("sevres (in-process)", e), ("sevres (whole process)", s), ("ucum-lhc", u), ("pint", p)]:
    print(f"  {name:24s} {t:8.4f} s  {n / t:14,.0f} conversions/s")
print(f"  throughput ratio vs ucum-lhc: in-process {u / e:8.1f}x, whole process {u / s:6.1f}x  (goal >= 10x)")
print(f"  throughput ratio vs pint:     in-process {p / e:8.1f}x, whole process {p / s:6.1f}x  (goal >= 100x)")
PY
