#!/usr/bin/env bash
# CLI tests of grafos: both targets of every built-in tasklet against the
# plain result, the report schema, a user FILE.cl, and every documented exit
# code. The opencl target needs a device (PoCL on CI): with none, these fail.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GRAFOS="${GRAFOS:?set GRAFOS to the grafos binary}"
export VYRE_CACHE_DIR="$WORK/cache"
T="$TD/tasklets"

expect_ok "list-tasklets" "$GRAFOS" list-tasklets
expect_stdout_file "list-tasklets" "$TD/expected/list-tasklets.txt"
expect_ok "list-tasklets -o" "$GRAFOS" list-tasklets -o tasklets.txt
expect_same_bytes "list-tasklets -o" "$WORK/tasklets.txt" "$TD/expected/list-tasklets.txt"

# Inputs: 40001 little-endian u32 words (and their bytes for the histogram);
# for sort-pairs 20000 keys with many duplicates, then their positions.
"$PY" -c "
import random, struct
random.seed(11)
open('$WORK/words.bin', 'wb').write(struct.pack('<40001I', *[random.getrandbits(32) for _ in range(40001)]))
keys = [random.getrandbits(32) & 0xFF00FF for _ in range(20000)]
open('$WORK/pairs.bin', 'wb').write(struct.pack('<40000I', *(keys + list(range(20000)))))"
# The plain results, computed independently of libgrafos.
"$PY" - "$WORK" <<'PYEOF'
import struct, sys
w = sys.argv[1]
data = open(f"{w}/words.bin", "rb").read()
words = struct.unpack(f"<{len(data)//4}I", data)
open(f"{w}/sum.expected", "wb").write(struct.pack("<Q", sum(words)))
hist = [0] * 256
for b in data: hist[b] += 1
open(f"{w}/histogram.expected", "wb").write(struct.pack("<256Q", *hist))
open(f"{w}/sort.expected", "wb").write(struct.pack(f"<{len(words)}I", *sorted(words)))
acc, out = 0, []
for x in words:
    acc = (acc + x) & 0xFFFFFFFF
    out.append(acc)
open(f"{w}/prefix-sum.expected", "wb").write(struct.pack(f"<{len(out)}I", *out))
out = [(a - x) & 0xFFFFFFFF for a, x in zip(out, words)]
open(f"{w}/exclusive-prefix-sum.expected", "wb").write(struct.pack(f"<{len(out)}I", *out))
pairs = open(f"{w}/pairs.bin", "rb").read()
pw = struct.unpack(f"<{len(pairs)//4}I", pairs)
n = len(pw) // 2
order = sorted(range(n), key=lambda i: pw[i])  # Python's sort is stable
open(f"{w}/sort-pairs.expected", "wb").write(struct.pack(f"<{2*n}I", *([pw[i] for i in order] + [pw[n + i] for i in order])))
PYEOF

for t in sum histogram sort sort-pairs prefix-sum exclusive-prefix-sum; do
  input=words.bin
  [[ $t == sort-pairs ]] && input=pairs.bin
  for target in host opencl; do
    expect_ok "$t on $target" "$GRAFOS" run-tasklet "$t" --workers 7 --target "$target" --input $input \
      --output "$t-$target.bin" --report "$t-$target.json" --fuel 1000000
    expect_same_bytes "$t on $target = plain result" "$WORK/$t-$target.bin" "$WORK/$t.expected"
    cp "$WORK/$t-$target.json" "$WORK/.out"
    expect_schema "$t on $target report" tasklet-report.schema.json
  done
  if "$PY" -c "
import json, sys
a, b = (json.load(open('$WORK/$t-%s.json' % x)) for x in ('host', 'opencl'))
sys.exit(not (a['fuel']['used'] == b['fuel']['used'] > 0 and a['phases'] == b['phases']))"
  then pass; else fail "$t: fuel used or phases differ between targets"; fi
done
expect_ok "stdin to stdout" bash -c "'$GRAFOS' run-tasklet sum --workers 3 --input - < '$WORK/words.bin' > sum-pipe.bin"
expect_same_bytes "stdin to stdout sum" "$WORK/sum-pipe.bin" "$WORK/sum.expected"
expect_ok "empty input" "$GRAFOS" run-tasklet sort --workers 4 --output empty.bin
if [[ ! -s "$WORK/empty.bin" ]]; then pass; else fail "sort of no input is not empty"; fi

# Without --workers: the device's default (kDefaultWorkersRule), the same output.
for target in host opencl; do
  expect_ok "default workers on $target" "$GRAFOS" run-tasklet sort-pairs --target $target --input pairs.bin \
    --output default-$target.bin --report default-$target.json
  expect_same_bytes "default workers on $target = plain result" "$WORK/default-$target.bin" "$WORK/sort-pairs.expected"
done
if "$PY" -c "
import json, os, sys
h, o = (json.load(open('$WORK/default-%s.json' % x))['workers'] for x in ('host', 'opencl'))
sys.exit(not (h == len(os.sched_getaffinity(0)) + 1 and o >= 2))"; then pass; else fail "default workers: $(cat "$WORK"/default-*.json)"; fi
# The host default counts the CPUs the process may use, as nproc does.
one_cpu=$("$PY" -c 'import os; print(min(os.sched_getaffinity(0)))')
expect_ok "default workers under taskset" taskset -c "$one_cpu" "$GRAFOS" run-tasklet sort --input pairs.bin \
  --output taskset.bin --report taskset.json
if "$PY" -c "
import json, sys
sys.exit(json.load(open('$WORK/taskset.json'))['workers'] != 2)"; then pass
else fail "default workers under taskset -c $one_cpu: $(cat "$WORK/taskset.json")"; fi
# The prefix sums run two host lanes a CPU.
expect_ok "prefix-sum default workers" "$GRAFOS" run-tasklet prefix-sum --input pairs.bin --output ps.bin --report ps.json
if "$PY" -c "
import json, os, sys
sys.exit(json.load(open('$WORK/ps.json'))['workers'] != 2 * len(os.sched_getaffinity(0)) + 1)"; then pass
else fail "prefix-sum default workers: $(cat "$WORK/ps.json")"; fi
expect_ok "run-tasklet --help names the default" "$GRAFOS" run-tasklet --help
if grep -q "CPUs the process may use (nproc) + 1" "$WORK/.out"; then pass; else fail "--help lacks the default workers rule"; fi

# A user's FILE.cl (README and man page example).
printf 'one\ntwo\nthree\n' > "$WORK/three-lines.txt"
expect_ok "user FILE.cl" "$GRAFOS" run-tasklet "$SRC/examples/tasklets/count_lines.cl" --target opencl --workers 5 \
  --scratch-bytes-per-worker 8 --input three-lines.txt --output lines.bin
if [[ "$(od -An -tu8 "$WORK/lines.bin" | tr -d ' ')" == 3 ]]; then pass; else fail "count_lines.cl did not count 3 lines"; fi

# Exit codes.
expect_fail "one worker" 4 "needs one coordinator and at least one data worker" "$GRAFOS" run-tasklet sum --workers 1
expect_fail "absurd workers" 4 "workers is 100000, above the limit of 4096" "$GRAFOS" run-tasklet sum --workers 100000
expect_fail "workers over cores" 4 "workers (4) exceed cores (2)" "$GRAFOS" run-tasklet sum --workers 4 --cores 2
expect_fail "shared too small" 4 "sort needs" "$GRAFOS" run-tasklet sort --workers 3 --input words.bin --shared-bytes 1K
expect_fail "memory budget" 4 "memory budget exceeded" "$GRAFOS" run-tasklet sort --workers 3 --input words.bin --max-linear-memory 4K
expect_fail "fuel exhausted (host)" 5 "fuel exhausted" "$GRAFOS" run-tasklet histogram --workers 3 --input words.bin --fuel 10 --output x.bin
expect_fail "fuel exhausted (opencl)" 5 "fuel exhausted" "$GRAFOS" run-tasklet histogram --workers 3 --input words.bin --fuel 10 --target opencl --output x.bin
if [[ ! -e "$WORK/x.bin" ]]; then pass; else fail "a failed run left its output behind"; fi
expect_fail "timeout" 6 "tasklet cancelled: the deadline passed" "$GRAFOS" run-tasklet "$T/forever.cl" --target opencl --workers 3 --timeout 0.5
expect_fail "lane failure" 7 "lane 2 failed (detail 42)" "$GRAFOS" run-tasklet "$T/fails.cl" --target opencl --workers 4
expect_fail "tasklet does not build" 8 "broken.cl" "$GRAFOS" run-tasklet "$T/broken.cl" --target opencl --workers 2
expect_fail "FILE.cl on the host" 1 "runs only on the opencl target" "$GRAFOS" run-tasklet "$T/fails.cl" --workers 2
expect_fail "unknown tasklet" 1 "unknown tasklet \"median\"" "$GRAFOS" run-tasklet median --workers 2
expect_fail "bad size suffix" 1 "--shared-bytes 4X: unknown suffix \"X\"" "$GRAFOS" run-tasklet sum --workers 2 --shared-bytes 4X
expect_fail "partial word input" 2 "not whole u32 words" bash -c "printf abcde | '$GRAFOS' run-tasklet sum --workers 2 --input -"
expect_fail "missing input" 3 "no-such-input.bin: cannot open" "$GRAFOS" run-tasklet sum --workers 2 --input no-such-input.bin
expect_fail "odd words for sort-pairs" 2 "not whole key/value pairs" "$GRAFOS" run-tasklet sort-pairs --input words.bin
expect_fail "default workers over --cores 1" 4 "needs one coordinator and at least one data worker" \
  "$GRAFOS" run-tasklet sum --cores 1
run script -qec "'$GRAFOS' run-tasklet sum --workers 2" /dev/null
if [[ $status -eq 1 ]] && grep -q "refusing to write a binary buffer to a terminal" "$WORK/.out"; then pass
else fail "binary to a terminal: exit $status"; fi

for sub in run-tasklet list-tasklets; do
  expect_ok "$sub --help" "$GRAFOS" "$sub" --help
  if grep -q "EXIT STATUS" "$SRC/man/grafos-$sub.1" 2>/dev/null; then pass; else fail "man/grafos-$sub.1 missing"; fi
done
finish
