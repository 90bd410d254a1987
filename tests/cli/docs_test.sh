#!/usr/bin/env bash
# The documentation ships with the tools: no shipped file (README.md, the man
# pages, the schemas, the headers, sources and messages of lib/ and apps/,
# the kernels, examples, docs) sends a reader to a file outside the
# repository; every man page a page or the README names exists and renders
# without warnings.
set -u
SRC="${SRC:?set SRC to the source tree}"
failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
cd "$SRC"

shipped=(README.md man schemas lib apps kernels examples docs cmake CMakeLists.txt)
if hits="$(grep -rnE '\.\./shared|shared/(spec|golden)|PROTOCOL\.md|TASKLETS\.md' "${shipped[@]}")"; then
  fail "shipped files name files outside the repository (point at vyre-protocol(7) or grafos-tasklets(7)):"
  echo "$hits" >&2
fi

# Every page named as page(N) in the man pages, and as `man N page` in the README, exists.
for ref in $(grep -ohE '\\fB[a-z0-9-]+\\fR\([17]\)' man/* | sed -E 's/\\fB([a-z0-9-]+)\\fR\(([17])\)/\1.\2/' | sort -u) \
           $(grep -ohE 'man [17] [a-z0-9-]+' README.md | awk '{print $3 "." $2}' | sort -u); do
  [[ -f "man/$ref" ]] || fail "a page names man/$ref, which does not exist"
done

# Every page renders without a warning (tbl for the tables).
for page in man/*.[17]; do
  if warnings="$(groff -t -man -Tutf8 -ww -z "$page" 2>&1)" && [[ -z "$warnings" ]]; then :; else
    fail "$page: $warnings"
  fi
done

echo "$failed failed"
[[ $failed -eq 0 ]]
