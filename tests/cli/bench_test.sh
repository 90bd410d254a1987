#!/usr/bin/env bash
# CLI tests of vyre bench and grafos bench: every output format against its
# schema or shape, the sample counts, the SVG plot, the progress line on a
# terminal (under script(1)) and its absence with -q or in a pipe, and bad
# options. The opencl runs need a device (PoCL on CI): with none, they fail.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GRAFOS="${GRAFOS:?set GRAFOS to the grafos binary}"
export VYRE_CACHE_DIR="$WORK/cache"
SPEC="$SRC/examples/ring-spec.json"
RES="$SRC/examples/resources.json"

for backend in opencl reference; do
  expect_ok "vyre bench $backend table" "$VYRE" bench --backend $backend --ring-spec "$SPEC" --resources "$RES" --repeat 7 --warmup 1
  if grep -q "^kernel " "$WORK/.out" && grep -q "^wall " "$WORK/.out" && grep -q "7 runs after 1 warm-up" "$WORK/.out" &&
     grep -q "slots/s" "$WORK/.out"; then pass; else fail "vyre bench $backend table: $(cat "$WORK/.out")"; fi
  expect_ok "vyre bench $backend json" "$VYRE" bench --backend $backend --ring-spec "$SPEC" --resources "$RES" --repeat 7 --format json
  expect_schema "vyre bench $backend schema" bench.schema.json
  cp "$WORK/.out" "$WORK/bench.json"
  run "$PY" -c "
import json
d = json.load(open('bench.json'))
assert d['repeat'] == 7 and d['work_per_run'] == 16 and d['context']['done_count_per_run'] > 0, d
for name in ('kernel_ms', 'wall_ms'):
    s = d['series'][name]
    assert len(s['samples']) == 7, s
    assert s['min'] == min(s['samples']) and s['max'] == max(s['samples']), s
    assert sorted(s['samples'])[3] == s['median'], s
    assert abs(s['per_second_at_median'] - 16 / (s['median'] / 1e3)) < 1e-6 * s['per_second_at_median'], s"
  if [[ $status -eq 0 ]]; then pass; else fail "vyre bench $backend statistics: $(cat "$WORK/.err")"; fi
done

expect_ok "vyre bench csv" "$VYRE" bench --backend reference --ring-spec "$SPEC" --resources "$RES" --repeat 5 --format csv
# One column order for both tools: run, wall_ms, kernel_ms, baseline_ms,
# upload_ms, readback_ms; an unmeasured series is an empty cell (vyre bench
# has no baseline, the reference backend no transfers).
if [[ "$(head -1 "$WORK/.out")" == "run,wall_ms,kernel_ms,baseline_ms,upload_ms,readback_ms" && $(wc -l < "$WORK/.out") -eq 6 ]] &&
   awk -F, 'NR > 1 && (NF != 6 || $1 != NR - 2 || $2 == "" || $3 == "" || $4 != "") { exit 1 }' "$WORK/.out"; then pass
else fail "csv: $(cat "$WORK/.out")"; fi

expect_ok "vyre bench plot" "$VYRE" bench --backend reference --ring-spec "$SPEC" --resources "$RES" --repeat 9 --plot plot.svg -o table.txt
run "$PY" -c "
import xml.etree.ElementTree as ET
root = ET.parse('plot.svg').getroot()
ns = '{http://www.w3.org/2000/svg}'
groups = [g for g in root.iter(ns + 'g') if g.get('class') == 'series']
assert [g.get('data-name') for g in groups] == ['kernel_ms', 'wall_ms'], groups
for g in groups:
    assert len([c for c in g.iter(ns + 'circle') if c.get('class') == 'sample']) == 9
    assert len([l for l in g.iter(ns + 'line') if l.get('class') == 'median']) == 1"
if [[ $status -eq 0 ]]; then pass; else fail "svg plot: $(cat "$WORK/.err")"; fi

# Progress: on a terminal only, never with -q.
TTY="$SRC/tests/cli/stderr_on_tty.py"
expect_ok "progress on a terminal" "$PY" "$TTY" "$VYRE" bench --backend reference --ring-spec "$SPEC" --resources "$RES" --repeat 3
if grep -q "vyre bench: run 5/5" "$WORK/.out"; then pass; else fail "no progress on a terminal: $(cat -v "$WORK/.out")"; fi
expect_ok "no progress with -q" "$PY" "$TTY" "$VYRE" bench --backend reference --ring-spec "$SPEC" --resources "$RES" --repeat 3 -q
if [[ ! -s "$WORK/.out" ]]; then pass; else fail "progress despite -q: $(cat -v "$WORK/.out")"; fi
expect_ok "grafos progress on a terminal" "$PY" "$TTY" "$GRAFOS" bench sum --size 64K --repeat 2
if grep -q "grafos bench: run 3/3" "$WORK/.out"; then pass; else fail "no grafos progress on a terminal: $(cat -v "$WORK/.out")"; fi
expect_ok "no progress in a pipe" "$VYRE" bench --backend reference --ring-spec "$SPEC" --resources "$RES" --repeat 3
if [[ ! -s "$WORK/.err" ]]; then pass; else fail "stderr not empty in a pipe: $(cat "$WORK/.err")"; fi

expect_fail "repeat 0" 1 "--repeat" "$VYRE" bench --ring-spec "$SPEC" --repeat 0
expect_fail "no ring" 1 "one of --ring or --ring-spec is required" "$VYRE" bench
expect_fail "bad format" 1 "--format" "$VYRE" bench --ring-spec "$SPEC" --format xml
printf 'abc' > "$WORK/bad.bin"
expect_fail "bad ring" 2 "bad.bin" "$VYRE" bench --ring bad.bin --backend reference
expect_fail "plot into a missing directory" 3 "" "$VYRE" bench --backend reference --ring-spec "$SPEC" --resources "$RES" \
  --repeat 2 --plot nodir/p.svg -o out.txt
if [[ ! -e "$WORK/out.txt" && ! -e "$WORK/nodir" ]]; then pass; else fail "a failed bench left output"; fi

# grafos bench on both targets.
for target in host opencl; do
  expect_ok "grafos bench $target" "$GRAFOS" bench histogram --target $target --size 1M --repeat 4 --workers 3
  if grep -q "^wall " "$WORK/.out" && grep -q "x the" "$WORK/.out"; then pass; else fail "grafos bench $target: $(cat "$WORK/.out")"; fi
  expect_ok "grafos bench $target json" "$GRAFOS" bench sum --target $target --size 1M --repeat 4 --workers 3 --format json
  expect_schema "grafos bench $target schema" bench.schema.json
  cp "$WORK/.out" "$WORK/g.json"
  run "$PY" -c "
import json
d = json.load(open('g.json'))
want = {'wall_ms', 'memcpy_ms'} if '$target' == 'host' else {'wall_ms', 'kernel_ms', 'copy_ms', 'upload_ms', 'readback_ms'}
assert set(d['series']) == want, d['series'].keys()
assert all(len(s['samples']) == 4 for s in d['series'].values())
assert d['work_per_run'] == 1 << 20 and d['context']['workers'] == 3
# The floor on a device: the input up, the 8-byte sum down, the kernels' median.
if '$target' == 'opencl':
    f = d['floor']
    assert f['bytes_to_device'] == 1 << 20 and f['bytes_to_host'] == 8, f
    assert f['kernel_ms'] == d['series']['kernel_ms']['median'] and f['floor_ms'] > f['kernel_ms'], f
else:
    assert 'floor' not in d"
  if [[ $status -eq 0 ]]; then pass; else fail "grafos bench $target json: $(cat "$WORK/.err")"; fi
done
head -c 100000 /dev/urandom > "$WORK/in.bin"
expect_ok "grafos bench csv on a file" "$GRAFOS" bench sum --input in.bin --repeat 3 --format csv
if [[ "$(head -1 "$WORK/.out")" == "run,wall_ms,kernel_ms,baseline_ms,upload_ms,readback_ms" && $(wc -l < "$WORK/.out") -eq 4 ]] &&
   awk -F, 'NR > 1 && (NF != 6 || $2 == "" || $3 != "" || $4 == "") { exit 1 }' "$WORK/.out"; then pass
else fail "grafos csv: $(cat "$WORK/.out")"; fi
expect_ok "grafos bench opencl csv" "$GRAFOS" bench sum --target opencl --input in.bin --repeat 2 --workers 3 --format csv
if [[ "$(head -1 "$WORK/.out")" == "run,wall_ms,kernel_ms,baseline_ms,upload_ms,readback_ms" ]] &&
   awk -F, 'NR > 1 && (NF != 6 || $2 == "" || $3 == "" || $4 == "" || $5 == "" || $6 == "") { exit 1 }' "$WORK/.out"; then pass
else fail "grafos opencl csv: $(cat "$WORK/.out")"; fi
expect_ok "grafos bench FILE.cl plot" "$GRAFOS" bench "$SRC/examples/tasklets/count_lines.cl" --target opencl --input in.bin \
  --workers 3 --scratch-bytes-per-worker 8 --repeat 3 --plot g.svg
if grep -q 'data-name="copy_ms"' "$WORK/g.svg"; then pass; else fail "grafos plot lacks the copy series"; fi
expect_fail "grafos bench unknown tasklet" 1 "unknown tasklet" "$GRAFOS" bench nope
expect_fail "grafos bench partial words" 2 "not whole u32 words" bash -c "printf abc > w.bin && '$GRAFOS' bench prefix-sum --input w.bin"
expect_fail "grafos bench one worker" 4 "" "$GRAFOS" bench sum --workers 1 --size 1K
expect_fail "grafos bench input and size" 1 "--input and --size cannot be given together" "$GRAFOS" bench sum --input in.bin --size 1M

finish
