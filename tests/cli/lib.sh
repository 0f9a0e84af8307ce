# Shared by the whole-command tests (sourced): each helper counts what failed in `failures`, so that a
# script reports every failing check, not only the first.
failures=${failures:-0}

in_work_dir() {  # in_work_dir TANDEM_BINARY SOURCE_DIR: sets $tandem and $src (absolute) and $work, a
                 # temporary directory removed at exit, and moves into it
  tandem=$1
  [[ $tandem == */* ]] && tandem=$(cd "$(dirname "$tandem")" && pwd)/$(basename "$tandem")
  src=$(cd "$2" && pwd)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work" || exit 1
}

check() {  # check NAME EXPECTED_EXIT COMMAND...  (stdout -> out, stderr -> err)
  local name=$1 want=$2
  shift 2
  "$@" >out 2>err
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL $name: exit $got, expected $want; stderr:" >&2
    sed 's/^/  /' err | head -20 >&2
    failures=$((failures + 1))
    return 1
  fi
  return 0
}
contains() {  # contains NAME FILE TEXT
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL $1: $2 lacks: $3" >&2
    sed 's/^/  /' "$2" | head -20 >&2
    failures=$((failures + 1))
  fi
}
lines() {  # lines NAME FILE N
  local n
  n=$(wc -l <"$2")
  if [[ $n -ne $3 ]]; then
    echo "FAIL $1: $2 has $n lines, expected $3" >&2
    sed 's/^/  /' "$2" | head -20 >&2
    failures=$((failures + 1))
  fi
}
invitations_read_back() {  # invitations_read_back DIR: each DIR/*.ics expands through `tandem calendar
  # expand` to exactly one event; sets `invitations` to how many there were
  invitations=0
  local ics
  for ics in "$1"/*.ics; do
    [[ -e $ics ]] || continue
    invitations=$((invitations + 1))
    check "invitation $ics reads back" 0 "$tandem" calendar expand "$ics" --from 2026-01-01T00:00:00Z --to 2028-01-01T00:00:00Z --cancelled
    lines "invitation $ics has its event" out 1
  done
}
