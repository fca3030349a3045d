# Shared helpers of the CLI tests: sourced, not run. $EIE is the tool, $T a scratch dir.
EIE=$1
T=$2
rm -rf "$T" && mkdir -p "$T"
PY=/usr/bin/python3
fails=0
# expect CODE PATTERN -- command...: exit code CODE and stderr+stdout matching PATTERN.
expect() {
  local code=$1 pat=$2; shift 3
  local out rc
  out=$("$@" 2>&1) && rc=0 || rc=$?
  if [ "$rc" != "$code" ] || ! printf '%s' "$out" | grep -qE -- "$pat"; then
    echo "FAIL: $* -> exit $rc (want $code), output:"
    printf '%s\n' "$out" | sed 's/^/    /'
    echo "    (wanted /$pat/)"
    fails=$((fails + 1))
  else
    echo "ok: $*"
  fi
}
finish() {
  [ "$fails" -eq 0 ] && { echo "all passed"; exit 0; }
  echo "$fails failed"; exit 1
}
