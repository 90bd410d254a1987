# Helpers for the CLI tests. Each test script sources this, runs cases, and
# ends with `finish`, which prints "N passed, M failed" and sets the status.
set -u
VYRE="${VYRE:?set VYRE to the vyre binary}"
SRC="${SRC:?set SRC to the source tree}"
PY="${PY:-/usr/bin/python3}"
GOLDEN="$SRC/testdata/upstream/vyre-0.6"
TD="$SRC/testdata/cli"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# run CMD...: runs in $WORK, capturing stdout/stderr/status.
run() {
  (cd "$WORK" && "$@") >"$WORK/.out" 2>"$WORK/.err"
  status=$?
}

# expect_ok NAME CMD...: exit 0.
expect_ok() {
  local name="$1"; shift
  run "$@"
  if [[ $status -eq 0 ]]; then pass; else fail "$name: exit $status: $(cat "$WORK/.err")"; fi
}

# expect_fail NAME CODE 'substring of stderr' CMD...   (an empty substring checks the code only)
expect_fail() {
  local name="$1" code="$2" msg="$3"; shift 3
  run "$@"
  if [[ $status -ne $code ]]; then
    fail "$name: exit $status, expected $code; stderr: $(cat "$WORK/.err")"
  elif [[ -n "$msg" ]] && ! grep -qF -- "$msg" "$WORK/.err"; then
    fail "$name: stderr lacks '$msg': $(cat "$WORK/.err")"
  else
    pass
  fi
}

# expect_stdout_file NAME GOLDEN: the last run's stdout equals GOLDEN.
expect_stdout_file() {
  if [[ ${UPDATE_GOLDEN:-0} == 1 ]]; then cp "$WORK/.out" "$2"; fi
  if cmp -s "$WORK/.out" "$2"; then pass; else fail "$1: stdout differs from $2: $(diff <(cat "$WORK/.out") "$2" | head -20)"; fi
}

# expect_same_bytes NAME A B
expect_same_bytes() {
  if cmp -s "$2" "$3"; then pass; else fail "$1: $2 and $3 differ"; fi
}

# expect_schema NAME SCHEMA: the last run's stdout is valid against SCHEMA.
expect_schema() {
  if "$PY" "$SRC/tests/cli/validate_json.py" "$SRC/schemas/$2" "$WORK/.out" 2>"$WORK/.schema"; then pass
  else fail "$1: not valid against $2: $(cat "$WORK/.schema")"; fi
}

# expect_schema_lines NAME SCHEMA: every line of the last run's stdout is valid against SCHEMA.
expect_schema_lines() {
  if "$PY" "$SRC/tests/cli/validate_json.py" --lines "$SRC/schemas/$2" "$WORK/.out" 2>"$WORK/.schema"; then pass
  else fail "$1: lines not valid against $2: $(head -c 600 "$WORK/.schema")"; fi
}

# expect_stdout_has NAME 'text': the last run's stdout holds the text.
expect_stdout_has() {
  if grep -qF -- "$2" "$WORK/.out"; then pass; else fail "$1: stdout lacks '$2': $(head -c 600 "$WORK/.out")"; fi
}

finish() {
  # A tripwire for the special-file rules: no command may replace /dev/null.
  if [[ ! -c /dev/null ]]; then fail "/dev/null is no longer a character device"; fi
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
