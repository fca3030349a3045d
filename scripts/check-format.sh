#!/usr/bin/env bash
# Check that C and C++ sources follow .clang-format (clang-format 14, Debian's).
#   scripts/check-format.sh            every tracked C/C++ file of the repository
#   scripts/check-format.sh FILE...    these files only
#   scripts/check-format.sh --fix      reformat every tracked C/C++ file in place
# Exit 0 when nothing differs; 1 with each differing file named (and the first
# lines of its diff); 3 when clang-format is missing or a file cannot be read.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cf="${CLANG_FORMAT:-clang-format}"
if ! command -v "$cf" >/dev/null 2>&1; then
  echo "check-format: $cf not found (scripts/install-deps.sh installs it)" >&2
  exit 3
fi
fix=0
if [ "${1:-}" = "--fix" ]; then
  fix=1
  shift
fi
if [ $# -eq 0 ]; then
  mapfile -t files < <(git -C "$root" ls-files '*.c' '*.h' '*.cc' '*.cpp' '*.hpp' | sed "s|^|$root/|")
else
  files=("$@")
fi
bad=0
for f in "${files[@]}"; do
  if [ ! -r "$f" ]; then
    echo "check-format: $f: cannot read" >&2
    exit 3
  fi
  if [ "$fix" = 1 ]; then
    "$cf" --style=file:"$root/.clang-format" -i "$f"
    continue
  fi
  if ! out=$("$cf" --style=file:"$root/.clang-format" "$f" | diff -u "$f" - 2>&1); then
    echo "check-format: $f differs from .clang-format (scripts/check-format.sh --fix):"
    printf '%s\n' "$out" | sed -n '3,12p'
    bad=1
  fi
done
[ "$fix" = 1 ] && echo "check-format: formatted ${#files[@]} files"
[ "$bad" = 0 ] && [ "$fix" = 0 ] && echo "check-format: ${#files[@]} files follow .clang-format"
exit "$bad"
