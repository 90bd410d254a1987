#!/usr/bin/env bash
# CLI tests of reading large captures: vyre inspect's filters, counts, JSON
# lines and slot maps; kind detection; vyre diff's compact JSON and -o. The
# slot maps are looked at as a person would: rsvg-convert (librsvg2-bin)
# renders them to PNG and the pixels at known slots are checked. Without
# rsvg-convert the test fails (scripts/bootstrap.sh installs it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E="$TD/expected"
PNG="$SRC/tests/cli/png_pixels.py"
command -v rsvg-convert >/dev/null || { echo "FAIL: rsvg-convert is missing: install librsvg2-bin (scripts/bootstrap.sh does)"; exit 1; }

# A capture of 4,096 slots: DONE, a FAULT every 1,024th slot (1023, 2047,
# 3071, 4095), slot 2000 of tenant 7 left PUBLISHED.
"$PY" "$SRC/bench/make_capture_spec.py" 4096 "$WORK/spec.json"
"$VYRE" dispatch --backend reference --ring-spec "$WORK/spec.json" --out-dir "$WORK/cap" -o "$WORK/cap/report.json" ||
  fail "dispatch of the capture"
RING="$WORK/cap/ring.bin"

# --- filters -------------------------------------------------------------------
expect_ok "--status FAULT" "$VYRE" inspect "$RING" --status FAULT
if [[ "$(tail -n +3 "$WORK/.out" | awk '{print $1}' | tr '\n' ' ')" == "1023 2047 3071 4095 " ]]; then pass
else fail "--status FAULT lists: $(cat "$WORK/.out")"; fi
expect_ok "--slots -3:" "$VYRE" inspect "$RING" --kind ring --slots -3: --json
if [[ "$(jq -c '[.slots[].slot]' "$WORK/.out")" == "[4093,4094,4095]" && "$(jq .status_counts.FAULT "$WORK/.out")" == 4 ]]
then pass; else fail "--slots -3: --json: $(head -c 300 "$WORK/.out")"; fi
expect_schema "--slots --json schema" inspect-ring.schema.json
expect_ok "--tenant 7" "$VYRE" inspect "$RING" --tenant 7 --json-lines
if [[ "$(jq -c '[.slot, .status, .tenant]' "$WORK/.out")" == '[2000,"PUBLISHED",7]' ]]; then pass; else fail "--tenant: $(cat "$WORK/.out")"; fi
expect_ok "--opcode and --status together" "$VYRE" inspect "$RING" --opcode ATOMIC_ADD,PRINTF --status DONE --slots 0:12 --json-lines
if [[ "$(jq -r .opcode "$WORK/.out" | sort | uniq -c | tr -s ' ' | tr '\n' '/')" == " 4 ATOMIC_ADD/ 4 PRINTF/" ]]; then pass
else fail "--opcode: $(cat "$WORK/.out")"; fi
expect_ok "--slots 0:5 --all" "$VYRE" inspect "$(printf '%s' "$GOLDEN/empty_ring_8.bin")" --kind ring --slots 0:5 --all --json-lines
if [[ $(wc -l < "$WORK/.out") -eq 5 ]]; then pass; else fail "--all: $(cat "$WORK/.out")"; fi

# --- counts ----------------------------------------------------------------------
expect_ok "--summary" "$VYRE" inspect "$RING" --summary
expect_stdout_has "--summary header" "ring: 4096 slots (262144 bytes), 4096 selected"
expect_ok "--summary --json" "$VYRE" inspect "$RING" --summary --json
expect_schema "--summary schema" inspect-summary.schema.json
if [[ "$(jq -c '[.by_status.DONE, .by_status.FAULT, .by_status.PUBLISHED, .by_tenant["7"], .selected]' "$WORK/.out")" == "[4091,4,1,1,4096]" ]]
then pass; else fail "--summary counts: $(cat "$WORK/.out")"; fi
expect_ok "--summary of a selection" "$VYRE" inspect "$RING" --summary --json --status FAULT
if [[ "$(jq -c '[.selected, .by_opcode.STORE_U32]' "$WORK/.out")" == "[4,4]" ]]; then pass; else fail "--summary --status: $(cat "$WORK/.out")"; fi
expect_ok "--summary of an IO queue" "$VYRE" inspect "$E/dispatch/io_queue.bin" --kind io-queue --summary --json
expect_schema "IO --summary schema" inspect-summary.schema.json
if [[ "$(jq -c '.by_status' "$WORK/.out")" == '{"EMPTY":64}' ]]; then pass; else fail "IO --summary: $(cat "$WORK/.out")"; fi

# --- JSON lines: the document's items, one compact object a line -----------------
expect_ok "--json-lines" "$VYRE" inspect "$RING" --json-lines
expect_schema_lines "--json-lines schema" inspect-lines.schema.json
cp "$WORK/.out" "$WORK/lines.txt"
"$VYRE" inspect "$RING" --json | jq -c '.slots[]' > "$WORK/items.txt"
expect_same_bytes "--json-lines = --json | jq -c '.slots[]'" "$WORK/lines.txt" "$WORK/items.txt"
expect_ok "--records of a debug log" "$VYRE" inspect "$WORK/cap/debug_log.bin" --records -2: --json-lines
expect_schema_lines "debug log lines schema" inspect-lines.schema.json
if [[ $(wc -l < "$WORK/.out") -eq 2 ]]; then pass; else fail "--records -2:: $(cat "$WORK/.out")"; fi
expect_ok "--records of a replay log" "$VYRE" inspect "$TD/wrapped.vrrl" --records 1:3 --json
if [[ "$(jq '.records | length' "$WORK/.out")" == 2 ]]; then pass; else fail "replay --records: $(cat "$WORK/.out")"; fi
expect_ok "replay lines" "$VYRE" inspect "$TD/wrapped.vrrl" --json-lines
expect_schema_lines "replay lines schema" inspect-lines.schema.json
expect_ok "control as one line" "$VYRE" inspect "$E/dispatch/control.bin" --json-lines
expect_schema_lines "control line schema" inspect-lines.schema.json

# --- what a filter does not fit ---------------------------------------------------
expect_fail "--records on a ring" 1 "--records does not apply to a ring buffer. Fix: --records applies to debug-log and replay buffers; use --slots for a ring" \
  "$VYRE" inspect "$RING" --records 0:3
expect_fail "--tenant on an IO queue" 1 "an IO slot has no tenant" "$VYRE" inspect "$E/dispatch/io_queue.bin" --kind io-queue --tenant 1
expect_fail "--summary of a debug log" 1 "--summary counts the slots of a ring or an IO queue" "$VYRE" inspect "$WORK/cap/debug_log.bin" --summary
expect_fail "a range that is none" 1 "--slots 12 is not a range A:B" "$VYRE" inspect "$RING" --slots 12
expect_fail "an unknown status" 1 "--status DONEE is not a status of a ring slot. Fix: use one of EMPTY, PUBLISHED" "$VYRE" inspect "$RING" --status DONEE
expect_fail "--tenant out of range" 1 "--tenant: 4294967296 is not a whole number from 0 to 4294967295" "$VYRE" inspect "$RING" --tenant 4294967296
expect_fail "--json and --json-lines" 1 "--json and --json-lines cannot be given together" "$VYRE" inspect "$RING" --json --json-lines

# --- kinds told from the content --------------------------------------------------
for pair in "ring:$RING" "control:$WORK/cap/control.bin" "debug-log:$WORK/cap/debug_log.bin" "replay:$TD/wrapped.vrrl"; do
  kind="${pair%%:*}" file="${pair#*:}"
  expect_ok "detect $kind" "$VYRE" inspect "$file" --json
  if [[ "$(jq -r .kind "$WORK/.out")" == "$kind" ]]; then pass; else fail "detect $kind: $(head -c 200 "$WORK/.out")"; fi
done
expect_fail "ambiguous: an IO queue could be a ring" 2 "io_queue.bin: the kind cannot be told from the content: 2048 bytes could be a ring or an IO queue. Fix: pass --kind ring or --kind io-queue" \
  "$VYRE" inspect "$E/dispatch/io_queue.bin"
expect_fail "a ring read as control" 2 "read as a control buffer, word 0 (SHUTDOWN) is 3, not 0 or 1; it looks like a ring. Fix: pass --kind ring, or leave --kind out to detect it" \
  "$VYRE" inspect "$RING" --kind control
expect_fail "a control read as a ring" 2 "it looks like a control buffer" "$VYRE" inspect "$WORK/cap/control.bin" --kind ring
expect_fail "a replay log read as an IO queue" 2 "the file starts with the VRRL0001 magic of a replay log; it looks like a replay log" \
  "$VYRE" inspect "$TD/wrapped.vrrl" --kind io-queue
expect_fail "no kind fits" 2 "7 bytes keep the layout of no kind of buffer" "$VYRE" inspect "$GOLDEN/ctrl_read_7b.bin"
# A damaged buffer of the kind given, that no other kind fits: shown, with a note.
expect_ok "foreign IO op: shown with a note" "$VYRE" inspect "$GOLDEN/io_raw8.bin" --kind io-queue
expect_stdout_file "foreign IO op: the usual table" "$E/inspect-io-queue.txt"
if grep -qF "vyre inspect: note: $GOLDEN/io_raw8.bin, byte offset 128: io slot 4's op word is 255" "$WORK/.err"; then pass
else fail "no note for io_raw8: $(cat "$WORK/.err")"; fi

# --- diff: detection, compact JSON, -o ------------------------------------------------
cp "$RING" "$WORK/b.bin"
printf '\x07' | dd of="$WORK/b.bin" bs=1 seek=$((64 * 5)) conv=notrunc status=none
expect_fail "diff finds the slot" 1 "" "$VYRE" diff "$RING" "$WORK/b.bin"
if [[ "$(cat "$WORK/.out")" == 'slot 5: status "DONE" -> "FAULT"' ]]; then pass; else fail "diff text: $(cat "$WORK/.out")"; fi
run "$VYRE" diff "$RING" "$WORK/b.bin" --json
if [[ $status -eq 1 && $(wc -l < "$WORK/.out") -eq 1 ]] && ! grep -q '^ ' "$WORK/.out"; then pass; else fail "diff --json is not one line"; fi
expect_schema "diff --json schema" diff.schema.json
run "$VYRE" diff "$RING" "$WORK/b.bin" --json -o diff.json
if [[ $status -eq 1 && ! -s "$WORK/.out" && "$(jq -c .changed "$WORK/diff.json")" == '[{"a":"DONE","b":"FAULT","field":"status","where":"slot 5"}]' ]]
then pass; else fail "diff -o: $status $(cat "$WORK/diff.json" 2>&1)"; fi
expect_fail "diff: no kind fits both" 2 "no kind fits both" "$VYRE" diff "$RING" "$WORK/cap/control.bin"
expect_fail "diff -q and -o (diff's usage errors are 2)" 2 "--quiet and --output cannot be given together" "$VYRE" diff "$RING" "$RING" -q -o x
expect_ok "inspect -o" "$VYRE" inspect "$RING" --summary -o summary.txt
if [[ ! -s "$WORK/.out" ]] && grep -q "4096 selected" "$WORK/summary.txt"; then pass; else fail "inspect -o"; fi

# --- slot maps, looked at ------------------------------------------------------------
# map_pixels SVG POINT...: renders SVG with rsvg-convert and prints the
# colour of each slot's cell: "SLOT" (its centre) or "SLOT+" (its top left
# corner, beside a fault's mark).
map_pixels() {
  local svg="$1"; shift
  rsvg-convert -o "$svg.png" "$svg" || { echo "rsvg-convert failed"; return; }
  "$PY" - "$svg" "$PNG" "$@" <<'PYEOF'
import re, sys, importlib.util
spec = importlib.util.spec_from_file_location("png", sys.argv[2]); png = importlib.util.module_from_spec(spec); spec.loader.exec_module(png)
svg = open(sys.argv[1]).read()
attr = lambda name: int(re.search(name + r'="(\d+)"', svg).group(1))
per, cols, cell, ox, oy = attr("data-slots-per-cell"), attr("data-columns"), attr("data-cell-px"), attr("data-origin-x"), attr("data-origin-y")
image = png.read_png(sys.argv[1] + ".png")
out = []
for point in sys.argv[3:]:
    corner = point.endswith("+")
    c = int(point.rstrip("+")) // per
    x, y = ox + (c % cols) * cell, oy + (c // cols) * cell
    out.append(png.colour(image, x + 2, y + 2) if corner else png.colour(image, x + cell // 2, y + cell // 2))
print(" ".join(out))
PYEOF
}
# The dispatch golden: slots 0-9 DONE, 10 and 11 FAULT, 12 PUBLISHED, 13 and 14 DONE, 15 EMPTY.
expect_ok "--svg of a ring" "$VYRE" inspect "$E/dispatch/ring.bin" --svg map.svg
if [[ ! -s "$WORK/.out" ]]; then pass; else fail "--svg alone printed the listing"; fi
got="$(map_pixels "$WORK/map.svg" 0 9 10+ 10 11+ 12 15)"
if [[ "$got" == "#54a24b #54a24b #d62728 #7a0000 #d62728 #4c78a8 #e3e3e3" ]]; then pass; else fail "ring map pixels: $got"; fi
if grep -q 'data-status="FAULT" data-count="2"' "$WORK/map.svg" && grep -q "one slot per cell" "$WORK/map.svg"; then pass
else fail "ring map legend"; fi
# 131,072 slots, binned 2 a cell: all DONE but slot 70001 (FAULT) and slots 100000-100031 (PUBLISHED).
"$PY" - "$WORK/big.bin" <<'PYEOF'
import struct, sys
ring = bytearray(131072 * 64)
for i in range(131072):
    struct.pack_into("<I", ring, i * 64, 3)
    struct.pack_into("<I", ring, i * 64 + 12, 2)
struct.pack_into("<I", ring, 70001 * 64, 7)
for i in range(100000, 100032):
    struct.pack_into("<I", ring, i * 64, 1)
open(sys.argv[1], "wb").write(ring)
PYEOF
expect_ok "--svg of a binned ring, with the listing" "$VYRE" inspect big.bin --svg big.svg --summary
expect_stdout_has "--svg with --summary prints the counts" "131072 selected"
got="$(map_pixels "$WORK/big.svg" 5 70001 70000 100010 131071)"
if [[ "$got" == "#54a24b #d62728 #d62728 #4c78a8 #54a24b" ]]; then pass; else fail "binned map pixels: $got"; fi
if grep -q "2 slots per cell (binned)" "$WORK/big.svg" && grep -q "1 FAULT slot, the first at slot 70,001" "$WORK/big.svg"; then pass
else fail "binned map says its bin size and the fault"; fi
expect_ok "--svg of an IO queue" "$VYRE" inspect "$GOLDEN/io_raw8.bin" --kind io-queue --svg io.svg
got="$(map_pixels "$WORK/io.svg" 0 3 4 6 7+)"
if [[ "$got" == "#4c78a8 #54a24b #1f6f3f #e3e3e3 #d62728" ]]; then pass; else fail "IO map pixels: $got"; fi
expect_fail "--svg of a control buffer" 1 "--svg draws a ring or an IO queue, not a control buffer" "$VYRE" inspect "$WORK/cap/control.bin" --svg c.svg
if [[ ! -e "$WORK/c.svg" ]]; then pass; else fail "a refused --svg left a file"; fi

finish
