#!/bin/sh
# Runs one fuzz target: loads the committed seeds (corpus/NAME) and regression inputs
# (regressions/NAME, which must never crash), then fuzzes for $AIRLOCK_FUZZ_SECONDS (default 20).
# New inputs go to WORK/corpus/NAME, crashes to WORK/crashes/NAME/, the log to WORK/logs/.
# With AIRLOCK_FUZZ_CI=1 (scripts/test), CI_LIMIT narrows the run while a known crash awaits
# its fix: `replay` runs only the seeds and regressions, a number N fuzzes with -max_len=N.
# Usage: run-target.sh BINARY NAME MAX_LEN DICT|none SOURCE_DIR WORK_DIR [CI_LIMIT|none]
set -eu
binary=$1
name=$2
max_len=$3
dict=$4
source=$5
work=$6
ci_limit=${7:-none}
seconds=${AIRLOCK_FUZZ_SECONDS:-20}
runs=-1
if [ "${AIRLOCK_FUZZ_CI:-0}" = 1 ]; then
    case "$ci_limit" in
    none) ;;
    replay) runs=0 ;;
    *) max_len=$ci_limit ;;
    esac
fi
mkdir -p "$work/corpus/$name" "$work/crashes/$name" "$work/logs"
log=$work/logs/$name.log

set -- "$work/corpus/$name" "$source/corpus/$name"
if [ -d "$source/regressions/$name" ]; then
    set -- "$@" "$source/regressions/$name"
fi
if [ "$dict" != none ]; then
    set -- -dict="$source/dict/$dict" "$@"
fi
status=0
"$binary" -max_total_time="$seconds" -runs="$runs" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/crashes/$name/" "$@" > "$log" 2>&1 || status=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
[ "$runs" = 0 ] && seconds=0
line="$name: ${execs:-?} executions in ${seconds} s (max_len $max_len), corpus $(ls "$work/corpus/$name" | wc -l) files"
if [ $status -ne 0 ]; then
    line="$line, FAILED (exit $status): $(ls "$work/crashes/$name" | tr '\n' ' ')"
    tail -n 80 "$log"
fi
echo "$line" | tee -a "$work/summary.txt"
exit $status
