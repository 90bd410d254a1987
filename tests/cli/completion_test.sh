#!/usr/bin/env bash
# The bash and zsh completions: generated scripts parse; bash completes
# subcommands, options, fixed choices and file names as a user's TAB would
# (COMP_WORDS set by hand, the function called as bash-completion calls it);
# zsh registers _vyre and _grafos through compinit from the installed
# site-functions directory; `cmake --install` puts all four files in place.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GRAFOS="${GRAFOS:?set GRAFOS to the grafos binary}"
BUILD="${BUILD:?set BUILD to the build directory}"
CMAKE="${CMAKE:-cmake}"
ZSH="$(command -v zsh)" || { fail "zsh is missing: install zsh (scripts/bootstrap.sh does)"; finish; exit 1; }

"$CMAKE" --install "$BUILD" --prefix "$WORK/prefix" >/dev/null || fail "cmake --install"
for f in share/bash-completion/completions/vyre share/bash-completion/completions/grafos \
         share/zsh/site-functions/_vyre share/zsh/site-functions/_grafos; do
  if [[ -s "$WORK/prefix/$f" ]]; then pass; else fail "the install lacks $f"; fi
done
BASH_VYRE="$WORK/prefix/share/bash-completion/completions/vyre"
BASH_GRAFOS="$WORK/prefix/share/bash-completion/completions/grafos"
"$VYRE" completion bash > "$WORK/now.bash"
if cmp -s "$WORK/now.bash" "$BASH_VYRE"; then pass; else fail "installed bash completion differs from vyre completion bash"; fi

# complete FILE FUNCTION WORDS...: the candidates for the last word, one per line.
complete_words() {
  local file="$1" fn="$2"; shift 2
  (cd "$WORK" && bash -c 'source "$1"; fn="$2"; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));
    "$fn"; printf "%s\n" "${COMPREPLY[@]}"' _ "$file" "$fn" "$@") | sort
}
# expect_candidates NAME 'space separated expected' FILE FUNCTION WORDS...
expect_candidates() {
  local name="$1" want="$2"; shift 2
  local got
  got="$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')"
  if [[ "$got" == "$want" ]]; then pass; else fail "$name: got '$got', want '$want'"; fi
}
expect_contains() {
  local name="$1" want="$2"; shift 2
  if complete_words "$@" | grep -qx -- "$want"; then pass; else fail "$name: '$want' not offered: $(complete_words "$@" | tr '\n' ' ')"; fi
}

expect_contains "subcommand replay" replay "$BASH_VYRE" _vyre vyre ""
expect_contains "subcommand bench" bench "$BASH_VYRE" _vyre vyre ""
expect_contains "subcommand completion" completion "$BASH_VYRE" _vyre vyre ""
expect_candidates "prefix di" "diff dispatch" "$BASH_VYRE" _vyre vyre di
expect_candidates "option prefix" "--backend" "$BASH_VYRE" _vyre vyre dispatch --back
expect_candidates "backend choices" "opencl reference" "$BASH_VYRE" _vyre vyre dispatch --backend ""
expect_candidates "replay rounds" "dispatch epoch" "$BASH_VYRE" _vyre vyre replay --rounds ""
expect_candidates "bench formats" "csv json table" "$BASH_VYRE" _vyre vyre bench --format ""
expect_candidates "diff kinds" "control debug-log io-queue replay ring" "$BASH_VYRE" _vyre vyre diff a b --kind ""
touch "$WORK/ring-one.bin" "$WORK/ring-two.bin"
expect_candidates "file after --ring" "ring-one.bin ring-two.bin" "$BASH_VYRE" _vyre vyre dispatch --ring ring-
expect_candidates "positional file" "ring-one.bin ring-two.bin" "$BASH_VYRE" _vyre vyre inspect ring-
expect_candidates "grafos target" "host opencl" "$BASH_GRAFOS" _grafos grafos run-tasklet sum --target ""
expect_candidates "inspect kinds" "control debug-log io-queue replay ring" "$BASH_VYRE" _vyre vyre inspect x --kind ""
expect_contains "subcommand report" report "$BASH_VYRE" _vyre vyre ""
# Former names work but are not offered: one vocabulary.
expect_candidates "encode-control --obs" "--observables" "$BASH_VYRE" _vyre vyre encode-control --obs
expect_candidates "encode-io-queue --slot" "--slot-count" "$BASH_VYRE" _vyre vyre encode-io-queue --slot
expect_candidates "dispatch --rep" "" "$BASH_VYRE" _vyre vyre dispatch --rep
expect_contains "grafos bench" bench "$BASH_GRAFOS" _grafos grafos ""
expect_contains "grafos bench --plot" --plot "$BASH_GRAFOS" _grafos grafos bench sum --p

# zsh: both scripts parse, and compinit picks them up from site-functions.
for f in _vyre _grafos; do
  if "$ZSH" -n "$WORK/prefix/share/zsh/site-functions/$f"; then pass; else fail "zsh cannot parse $f"; fi
done
run "$ZSH" -f -c "fpath=('$WORK/prefix/share/zsh/site-functions' \$fpath); autoload -Uz compinit; compinit -u -d '$WORK/zcompdump';
  print -r -- \"\${_comps[vyre]} \${_comps[grafos]}\""
if [[ "$(cat "$WORK/.out")" == "_vyre _grafos" ]]; then pass; else fail "compinit registration: $(cat "$WORK/.out") $(cat "$WORK/.err")"; fi
"$VYRE" completion zsh > "$WORK/z"
if grep -q "'--rounds\[.*\]:value:(epoch dispatch)'" "$WORK/z" && grep -q "'replay:Replay a VRRL0001 log" "$WORK/z"; then pass
else fail "zsh script lacks replay's choices or description"; fi

expect_fail "unknown shell" 1 "fish" "$VYRE" completion fish
finish
