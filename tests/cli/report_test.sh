#!/usr/bin/env bash
# CLI tests of vyre report: the page of a dispatch's --out-dir and report,
# self-contained, and looked at as a person would: headless Chromium (Debian's
# chromium) loads it from disk and screenshots it, and the screenshot must
# show the ring map, slot by slot. Without chromium the test fails
# (scripts/bootstrap.sh installs it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E="$TD/expected"
command -v chromium >/dev/null || { echo "FAIL: chromium is missing: install chromium (scripts/bootstrap.sh does)"; exit 1; }

# The dispatch golden: an out-dir with its report.json beside the buffers.
expect_ok "report of an out-dir" "$VYRE" report "$E/dispatch" -o page.html
if [[ ! -s "$WORK/.out" && -s "$WORK/page.html" ]]; then pass; else fail "report -o"; fi
for id in ring-map statuses metrics observables faults printf io; do
  if grep -q "<section id=\"$id\">" "$WORK/page.html"; then pass; else fail "the page lacks section $id"; fi
done
# Self-contained: nothing to fetch (the only URI is the SVG namespace).
if ! grep -qiE '<script|<link|<img|<iframe|src=|href=|url\(|@import' "$WORK/page.html" &&
   [[ "$(grep -o 'http[^"]*' "$WORK/page.html" | sort -u)" == "http://www.w3.org/2000/svg" ]]; then pass
else fail "the page refers to something outside it"; fi
if grep -q "2 FAULT slots" "$WORK/page.html" && grep -q "resource-7.bin" "$WORK/page.html"; then pass; else fail "faults or IO missing"; fi

# Chromium loads the page (no network: a fresh profile, background
# networking off) and screenshots it. Some row of the screenshot must show
# the 16 cells of the ring map in slot order: DONE x10, FAULT, FAULT,
# PUBLISHED, DONE, DONE, EMPTY.
profile="$(mktemp -d)"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1000,700 \
  --screenshot="$WORK/shot.png" "file://$WORK/page.html" >"$WORK/chromium.log" 2>&1
rm -rf "$profile"
if [[ -s "$WORK/shot.png" ]]; then pass; else fail "chromium wrote no screenshot: $(tail -5 "$WORK/chromium.log")"; fi
run "$PY" - "$WORK/shot.png" "$SRC/tests/cli/png_pixels.py" <<'PYEOF'
import sys, importlib.util
spec = importlib.util.spec_from_file_location("png", sys.argv[2]); png = importlib.util.module_from_spec(spec); spec.loader.exec_module(png)
width, height, channels, rows = png.read_png(sys.argv[1])
done, fault, published, empty = "54a24b", "d62728", "4c78a8", "e3e3e3"
want = [done] * 10 + [fault, fault, published, done, done, empty]
for y in range(height):
    row, segments, x = rows[y], [], 0
    while x < width:
        colour, end = row[x * channels:x * channels + 3], x
        while end < width and row[end * channels:end * channels + 3] == colour:
            end += 1
        if end - x >= 10 and colour != b"\xff\xff\xff":  # a cell, not a grid line or text
            segments.append(colour.hex())
        x = end
    for i in range(len(segments) - len(want) + 1):
        if segments[i:i + len(want)] == want:
            print(f"ring map drawn at row {y}")
            sys.exit(0)
sys.exit("no row of the screenshot shows the ring map's 16 cells")
PYEOF
if [[ $status -eq 0 ]]; then pass; else fail "screenshot: $(cat "$WORK/.err")"; fi

# A fresh dispatch, its report where -o put it (found in the out-dir), formats for PRINTF.
"$VYRE" dispatch --backend reference --ring-spec "$SRC/examples/dispatch-spec.json" --resources "$SRC/examples/resources.json" \
  --out-dir "$WORK/run" -o "$WORK/run/report.json"
echo '{"1": "slot {slot} says {0} and {1:x}"}' > "$WORK/formats.json"
expect_ok "report with formats" "$VYRE" report run --formats formats.json
if grep -q "slot 7 says 100 and c8" "$WORK/.out" && grep -q "backend</td><td>reference" "$WORK/.out"; then pass
else fail "formats or backend missing from the page"; fi
mv "$WORK/run/report.json" "$WORK/elsewhere.json"
expect_ok "report without a report" "$VYRE" report run
expect_stdout_has "the page says where the rest is" "pass it with --dispatch-report"
expect_ok "--dispatch-report" "$VYRE" report run --dispatch-report elsewhere.json -o page2.html
if grep -q "backend</td><td>reference" "$WORK/page2.html"; then pass; else fail "--dispatch-report not read"; fi

# What is not an out-dir, or not its report.
expect_fail "no such directory" 3 "nope: is not a directory" "$VYRE" report nope
echo '{"done_count": 3, "status_counts": {}, "slot_count": 3}' > "$WORK/other.json"
expect_fail "a report of another dispatch" 2 "the report is of a dispatch of 3 slots, but run/ring.bin holds 16" \
  "$VYRE" report run --dispatch-report other.json
expect_fail "not a dispatch report" 2 "not a vyre dispatch report" "$VYRE" report run --dispatch-report "$SRC/examples/resources.json"
rm "$WORK/run/io_queue.bin"
expect_fail "a buffer missing" 3 "run/io_queue.bin: cannot open" "$VYRE" report run -o never.html
if [[ ! -e "$WORK/never.html" ]]; then pass; else fail "a failed report left its page"; fi

finish
