#!/usr/bin/env bash
# Validates the same DCC example files through Sevres (guard + XSD + semantic checks), lxml
# (libxml2: parse + XSD validation only) and xmlschema (pure Python XSD validation) in one run,
# and prints per-file times and throughput ratios.
#
# The peers are installed into a temporary folder that is removed afterwards. Each validates
# against the same schema files (../shared/testdata/dcc/schemas; lxml through its OASIS catalog,
# xmlschema through a uri_mapper built from the same catalog), offline; each schema is compiled
# once, outside the timing, as Sevres compiles its embedded schemas once. Each side times its own
# loop in-process after start-up, runs it several times and keeps the best, which keeps the ratio
# stable on a busy machine. The verdicts (schema-valid or not) are printed side by side.
#
# Goal: Sevres with its semantic checks at least as fast as lxml (ratio lxml/sevres >= 1) and
# 20x xmlschema (ratio xmlschema/sevres >= 20).
#
# Usage: bench/dcc_vs_lxml.sh [N]   (checks per file and repetition, default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
data=$(cd ../shared/testdata/dcc && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=()
for f in "$data"/examples/{valid,invalid,signed,v3.0.0}/*.xml; do files+=("$f"); done

echo "building sevres-dcc (release)..." >&2
cargo build --release -q -p sevres-dcc --example check_throughput
engine=${CARGO_TARGET_DIR:-$PWD/target}/release/examples/check_throughput

echo "installing lxml and xmlschema into $work..." >&2
python3 -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q lxml xmlschema >/dev/null

cat > "$work/peers.py" <<'PY'
import os, re, sys, time
import xml.etree.ElementTree as ET
schemas, n = sys.argv[1], int(sys.argv[2])
files = sys.argv[3:]
catalog = os.path.join(schemas, "catalog.xml")
os.environ["XML_CATALOG_FILES"] = catalog
import lxml.etree as etree
import xmlschema

ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
mapping = {}
for e in ET.parse(catalog).getroot():
    key = e.get("name") or e.get("systemId")
    mapping[key] = os.path.join(schemas, e.get("uri"))
def mapper(uri):
    return mapping.get(uri, uri)

def version(data):
    return re.search(rb'schemaVersion="([^"]+)"', data).group(1).decode()

lx, xs = {}, {}
def best(fn, reps):
    b = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        b = min(b, (time.perf_counter() - t) / reps)
    return b

for f in files:
    data = open(f, "rb").read()
    v = version(data)
    path = os.path.join(schemas, "dcc", "v" + v, "dcc.xsd")
    if v not in lx:
        lx[v] = etree.XMLSchema(etree.parse(path))
        xs[v] = xmlschema.XMLSchema(path, uri_mapper=mapper, allow="local")
    s_lx, s_xs = lx[v], xs[v]
    text = data.decode("utf-8")
    ok_lx = s_lx.validate(etree.fromstring(data))
    ok_xs = s_xs.is_valid(text)
    t_lx = best(lambda: s_lx.validate(etree.fromstring(data)), n)
    t_xs = best(lambda: s_xs.is_valid(text), max(1, n // 20))
    print(f"{f}\t{ok_lx}\t{t_lx:.6e}\t{ok_xs}\t{t_xs:.6e}", flush=True)
PY

echo "running sevres..." >&2
# The goal compares schema + semantic checks with lxml's schema validation, so signature
# verification (which neither peer does) is left out of the timed loop; its cost is printed apart.
for r in 1 2 3; do "$engine" -n "$n" --no-signature "${files[@]}" > "$work/sevres.$r.tsv"; done
echo "signature verification included (signed files only), per check:"
"$engine" -n "$n" "${files[@]}" | grep signed/ | awk -F'\t' '{printf "  %s  %.3f ms\n", $1, $6 * 1000}' | sed "s|$data/examples/||"
echo "running lxml and xmlschema..." >&2
"$work/venv/bin/python" "$work/peers.py" "$data/schemas" "$n" "${files[@]}" > "$work/peers.tsv"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" 
python3 - "$work" <<'PY'
import sys, math
work = sys.argv[1]
sev = {}
for r in (1, 2, 3):
    for line in open(f"{work}/sevres.{r}.tsv"):
        f, size, xsd_ok, ok, nerr, t, mbs = line.rstrip("\n").split("\t")
        t = float(t)
        if f not in sev or t < sev[f][2]:
            sev[f] = (int(size), xsd_ok == "true", t)
print(f"{'file':58} {'KiB':>5} {'sevres':>9} {'lxml':>9} {'xmlschema':>10} {'lxml/sev':>9} {'xs/sev':>7}  verdicts s/l/x")
rl, rx = [], []
for line in open(f"{work}/peers.tsv"):
    f, ok_lx, t_lx, ok_xs, t_xs = line.rstrip("\n").split("\t")
    size, ok_s, t_s = sev[f]
    t_lx, t_xs = float(t_lx), float(t_xs)
    rl.append(t_lx / t_s); rx.append(t_xs / t_s)
    name = "/".join(f.split("/")[-2:])
    v = lambda b: "V" if b else "I"
    agree = "" if ok_s == (ok_lx == "True") == (ok_xs == "True") else "  DISAGREE"
    print(f"{name:58} {size/1024:5.1f} {t_s*1e3:7.3f}ms {t_lx*1e3:7.3f}ms {t_xs*1e3:8.2f}ms {t_lx/t_s:9.2f} {t_xs/t_s:7.1f}  {v(ok_s)}/{v(ok_lx=='True')}/{v(ok_xs=='True')}{agree}")
g = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print(f"geometric mean ratio: lxml/sevres {g(rl):.2f} (goal >= 1), xmlschema/sevres {g(rx):.1f} (goal >= 20)")
PY
