# Shared helpers of the CLI tests: sourced, not run. $EIE is the tool, $T a scratch dir.
EIE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$2
rm -rf "$T" && mkdir -p "$T"
PY=/usr/bin/python3
fails=0
# Every command under a time limit: a hang is a failure (exit 124), not a stuck test.
LIMIT=${EIE_CLI_LIMIT:-60}
# expect CODE PATTERN -- command...: exit code CODE and stderr+stdout matching PATTERN.
expect() {
  local code=$1 pat=$2; shift 3
  local out rc
  out=$(timeout "$LIMIT" "$@" 2>&1) && rc=0 || rc=$?
  if [ "$rc" != "$code" ] || ! printf '%s' "$out" | grep -qE -- "$pat"; then
    echo "FAIL: $* -> exit $rc (want $code), output:"
    printf '%s\n' "$out" | sed 's/^/    /'
    echo "    (wanted /$pat/)"
    fails=$((fails + 1))
  else
    echo "ok: $*"
  fi
}
# expect1 CODE PATTERN -- command...: as expect, and the output is exactly one line
# on stderr (nothing on stdout): the one-line error of a refused input.
expect1() { expect_quiet 1 "$@"; }
# expect_err CODE PATTERN -- command...: exit code CODE, stderr matching PATTERN, nothing on
# stdout (usage errors).
expect_err() { expect_quiet 0 "$@"; }
# expect_quiet ONE_LINE CODE PATTERN -- command...: both of the above; ONE_LINE=1 also wants
# exactly one line on stderr.
expect_quiet() {
  local one=$1 code=$2 pat=$3; shift 4
  local err rc lines
  err=$(timeout "$LIMIT" "$@" 2>&1 >"$T/.stdout") && rc=0 || rc=$?
  lines=$(printf '%s' "$err" | grep -c '')
  if [ "$rc" != "$code" ] || { [ "$one" = 1 ] && [ "$lines" != 1 ]; } || [ -s "$T/.stdout" ] ||
     ! printf '%s' "$err" | grep -qE -- "$pat"; then
    echo "FAIL: $* -> exit $rc (want $code), $lines stderr lines$([ "$one" = 1 ] && echo ' (want 1)'), stdout $(wc -c <"$T/.stdout") bytes (want 0):"
    printf '%s\n' "$err" | sed 's/^/    /'
    echo "    (wanted /$pat/)"
    fails=$((fails + 1))
  else
    echo "ok: $*"
  fi
  rm -f "$T/.stdout"
}
# snap DIR [EXCLUDED...]: every entry under DIR (type, mode, size, name) and the sha256 of
# every regular file, leaving out the EXCLUDED paths (the intended output).
snap() {
  local dir=$1 x
  shift
  local prune=()
  for x in "$@" "$T/.stdout"; do prune+=(-path "$x" -prune -o); done
  find "$dir" "${prune[@]}" -printf '%y %m %s %p\n' | LC_ALL=C sort
  find "$dir" "${prune[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
}
# run_files PACK: the sha256 of every file of a pack but its .hex files, manifest.json and
# stats.json (what eie run reads or checks, and what --no-hex leaves as it is).
run_files() { (cd "$1" && ls | grep -v -e '\.hex$' -e '^manifest.json$' -e '^stats.json$' | xargs sha256sum); }
# unchanged WHAT BEFORE AFTER: the surroundings of a command did not change.
unchanged() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1 changed files it must not touch:"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /' | head -20
    fails=$((fails + 1))
  else
    echo "ok: $1 left everything else as it was"
  fi
}
# check WHAT CONDITION...: a plain assertion.
check() {
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
finish() {
  [ "$fails" -eq 0 ] && { echo "all passed"; exit 0; }
  echo "$fails failed"; exit 1
}
