#!/usr/bin/env bash
# The time table of `make test`: each step's wall-clock seconds, printed at the end.
#
#   scripts/timed.sh start              forget the last table, note when the run began
#   scripts/timed.sh NAME COMMAND...    run COMMAND; add NAME, its seconds and its status
#   scripts/timed.sh table              print the table (steps in the order they ended) and the total
#
# Steps run side by side (make -j), so the total is less than the sum.
set -uo pipefail
TABLE="${NBJOURNAL_TIMES:-.make-times}"

now() { date +%s.%N; }

case "${1:-}" in
start)
    now > "$TABLE"
    ;;
table)
    [ -f "$TABLE" ] || exit 0
    awk -v end="$(now)" '
        NR == 1 { begin = $1; next }
        { printf "  %-16s %8.1f s   %s\n", $1, $2, ($3 == 0 ? "ok" : "FAILED (" $3 ")") }
        END { printf "  %-16s %8.1f s\n", "total (wall)", end - begin }
    ' "$TABLE" | { echo "=== make test: time table ==="; cat; }
    ;;
*)
    name="$1"
    shift
    began="$(now)"
    "$@"
    status=$?
    [ -f "$TABLE" ] || now > "$TABLE"
    awk -v b="$began" -v e="$(now)" -v n="$name" -v s="$status" \
        'BEGIN { printf "%s %.1f %d\n", n, e - b, s }' >> "$TABLE"
    exit "$status"
    ;;
esac
