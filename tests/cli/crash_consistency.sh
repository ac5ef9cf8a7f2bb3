# Crash consistency: every file-system mutating call of an import or a split pack is, in turn,
# made to fail (EIO) or preceded by SIGKILL (tests/fault_inject.c, loaded with LD_PRELOAD).
# After each run the output must be consistent: a store is a valid OCI layout whose tags point
# only at present, intact blobs, with no stray files outside .airlock/; a split bundle set is
# either the old one or the new one, and verifies. A clean re-run must then converge: exit 0,
# the new content present, and no debris from the faulted run.
#
# Every problem of every run is collected and listed at the end, grouped by kind; set
# AIRLOCK_CRASH_KEEP_GOING=0 to stop at the first one instead. The store or directory of each
# run with a problem is kept in $t/kept/.
. "$(dirname "$0")/common.sh"

lib=${AIRLOCK_FAULT_LIB:-}
[ -n "$lib" ] || skip "AIRLOCK_FAULT_LIB is not set"
binary_is_dynamic || skip "$AIRLOCK is static: LD_PRELOAD cannot inject faults"
[ -f "$lib" ] || skip "no fault-injection library at $lib"
# An ASan build refuses to start when a preloaded library comes before libasan.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
keep_going=${AIRLOCK_CRASH_KEEP_GOING:-1}
# The interpreter itself, not a version manager's shim: this runs a few hundred times.
check_store="$(python3 -c 'import sys; print(sys.executable)') $AIRLOCK_SOURCE/tests/cli/check_store.py"
# The ASan build takes about half a second to start, so by default the store created from
# nothing is swept with SIGKILL only; AIRLOCK_CRASH_NEW_STORE_MODES="eio kill" adds EIO.
new_store_modes=${AIRLOCK_CRASH_NEW_STORE_MODES:-kill}
problems=$t/problems
: > "$problems"
mkdir kept

# faulted N MODE ARGS...: runs airlock ARGS with the N-th mutating call faulted (N=0: only
# counted). Sets code (the exit status), call (the faulted call and its path, or "not fired")
# and total (the calls counted, empty when killed).
faulted() {
    n=$1
    mode=$2
    shift 2
    rm -f "$t/fault.log"
    set +e
    env LD_PRELOAD="$lib" AIRLOCK_FAULT_AT="$n" AIRLOCK_FAULT="$mode" AIRLOCK_FAULT_LOG="$t/fault.log" \
        "$AIRLOCK" "$@" > "$t/run.out" 2> "$t/run.err"
    code=$?
    set -e
    call=$(grep -v '^total ' "$t/fault.log" 2> /dev/null | head -n 1 | cut -d' ' -f2- || true)
    total=$(sed -n 's/^total //p' "$t/fault.log" 2> /dev/null || true)
    if [ -z "$call" ]; then
        call="not fired"
    else
        call="${call%% *} $(echo "${call#* }" | sed "s|^$t/||")" # fd-based calls name the full path
    fi
}

# clean ARGS...: runs airlock ARGS without faults; sets code. The leak check at exit, a tenth of
# a second of the ASan build, is left to the faulted runs, whose error paths are the new ones.
clean() {
    set +e
    ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" "$AIRLOCK" "$@" > "$t/run.out" 2> "$t/run.err"
    code=$?
    set -e
    echo "$code" >> "$t/reruns-$sweep"
}

# problem MESSAGE: records a problem of the current run (sweep, mode, n, call).
problem() {
    printf '%s\t%s\t%s\t%s\t%s\n' "$sweep" "$mode" "$n" "$call" "$*" >> "$problems"
    run_failed=1
    if [ "$keep_going" = 0 ]; then
        cat "$t/run.err" >&2
        fail "$sweep, $mode at call $n ($call): $*"
    fi
}

# problems_from LABEL COMMAND...: one problem per line COMMAND prints.
problems_from() {
    label=$1
    shift
    "$@" > "$t/check.out" || true
    while IFS= read -r line; do
        problem "$label: $line"
    done < "$t/check.out"
}

# after_run: checks the exit status, sanitizer output and the fault's effect.
after_run() {
    echo "$code" >> "$t/codes-$sweep"
    if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$t/run.err"; then
        problem "sanitizer report: $(grep -Em1 'Sanitizer|runtime error:' "$t/run.err")"
    fi
    if [ "$call" = "not fired" ]; then
        echo "$n" >> "$t/unfired-$sweep"
    elif [ "$mode" = kill ] && [ "$code" -ne 137 ]; then
        problem "exited $code, not killed"
    elif [ "$mode" != kill ] && [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
        problem "exited $code on an I/O error: $(head -n 1 "$t/run.err")"
    fi
}

# keep_run DIR: keeps DIR of a run that had problems, removes it otherwise.
keep_run() {
    if [ "$run_failed" = 1 ]; then
        mv "$1" "kept/$sweep-$mode-$n"
    else
        rm -rf "$1"
    fi
}

# summary: the line the sweep reports.
summary() {
    runs=$(wc -l < "$t/codes-$sweep")
    codes=$(sort -n "$t/codes-$sweep" | uniq -c | awk '{printf "%s%s: %s", sep, $2, $1; sep = ", "}')
    unfired=$( (cat "$t/unfired-$sweep" 2> /dev/null || true) | wc -l)
    converged=$(grep -cx 0 "$t/reruns-$sweep" || true)
    failed=$(cut -f1-3 "$problems" | grep -c "^$sweep	" || true)
    if [ "$failed" -eq 0 ]; then
        verdict="all re-runs converged"
    else
        verdict="$(cut -f1-3 "$problems" | grep "^$sweep	" | sort -u | wc -l) runs with problems"
    fi
    echo "$sweep sweep: $T calls x $modes_count modes = $runs runs in $(($(date +%s) - started)) s; exit codes {$codes}; $unfired not fired; $converged re-runs exited 0; $verdict" \
        | tee -a "$t/summary"
}

# A private copy of the fixture: the sweeps compare against packs made at the start, and a
# concurrent fixture rebuild must not change the image under them. Uncompressed bundles, as
# zstd under ASan would double the time of each run without adding a file-system call.
cp -a "$images/sample" sample
make_key k
airlock pack oci:sample:1.0 -o v1.bundle --sign-key k.key --compression none -q > /dev/null
airlock pack oci:sample:2.0 -o v2.bundle --sign-key k.key --compression none -q > /dev/null

# import_sweep NAME PRISTINE MODES: imports v2.bundle into a copy of the store PRISTINE (or into
# a store that does not exist yet when PRISTINE is empty), once per mode and mutating call.
import_sweep() {
    sweep=$1
    pristine=$2
    modes=$3
    modes_count=$(echo "$modes" | wc -w)
    started=$(date +%s)
    rm -rf run
    mkdir run
    [ -z "$pristine" ] || cp -a "$pristine" run/store
    n=0 mode=count
    faulted 0 count import v2.bundle --to oci:run/store --trusted-key k.pub -q
    if [ "$code" -ne 0 ] || [ -z "$total" ]; then
        fail "$sweep: the counting run failed: $(cat "$t/run.err")"
    fi
    T=$total
    step "$sweep: $T mutating calls, modes: $modes"
    for mode in $modes; do
        for n in $(seq 1 "$T"); do
            run_failed=0
            rm -rf run
            mkdir run
            [ -z "$pristine" ] || cp -a "$pristine" run/store
            faulted "$n" "$mode" import v2.bundle --to oci:run/store --trusted-key k.pub -q
            after_run
            # The old image stays; an import that says it succeeded has added the new one.
            problems_from "after the fault" $check_store run/store \
                ${pristine:+--ref localhost/sample:1.0} $([ "$code" -ne 0 ] || echo --ref localhost/sample:2.0)
            clean import v2.bundle --to oci:run/store --trusted-key k.pub -q
            if [ "$code" -ne 0 ]; then
                problem "re-run exited $code: $(head -n 1 "$t/run.err")"
            fi
            problems_from "after the re-run" $check_store --no-debris --ref localhost/sample:2.0 run/store
            if ! skopeo inspect --raw oci:run/store:localhost/sample:2.0 > /dev/null 2>&1; then
                problem "after the re-run: localhost/sample:2.0 is not in the store"
            fi
            keep_run run
        done
    done
    summary
}

airlock import v1.bundle --to oci:pristine --trusted-key k.pub -q > /dev/null
import_sweep import pristine "eio kill"
import_sweep import-new-store "" "$new_store_modes"

# Split pack over an older set of the same name. A fault (EIO) at any call leaves the old set or
# the new one; so does a kill, except inside the switch's renames, which the next pack undoes.
# The old set (sample:1.0 in 1M parts) has more parts than the new one (sample:2.0 in 2M
# parts), so parts the new set does not list show.
sweep=split-pack
started=$(date +%s)
mkdir old ref
airlock pack oci:sample:1.0 -o old/x.bundle --split 1M --sign-key k.key --compression none -q > /dev/null
airlock pack oci:sample:2.0 -o ref/x.bundle --split 2M --sign-key k.key --compression none -q > /dev/null
for dir in old ref; do
    airlock verify $dir/x.bundle.parts.json --trusted-key k.pub | grep -q "every digest and size matches" \
        || fail "the $dir set does not verify"
done
[ "$(jq '.manifest.parts | length' old/x.bundle.parts.json)" -ge 3 ] || fail "the old set has fewer than 3 parts"
cmp -s old/x.bundle.parts.json ref/x.bundle.parts.json && fail "the old and new sets are the same"

# same_set DIR REF: true when DIR holds the parts file of REF and every part it lists,
# byte for byte. Packs are reproducible, so that is the set verified above.
same_set() {
    cmp -s "$1/x.bundle.parts.json" "$2/x.bundle.parts.json" || return 1
    for part in $(jq -r '.manifest.parts[].name' "$2/x.bundle.parts.json"); do
        cmp -s "$1/$part" "$2/$part" || return 1
    done
}

# verify_set DIR: old or new, whichever complete set DIR holds; otherwise what airlock verify
# says about it.
verify_set() {
    if same_set "$1" old; then
        echo old
    elif same_set "$1" ref; then
        echo new
    elif "$AIRLOCK" verify "$1/x.bundle.parts.json" --trusted-key k.pub > "$t/verify.out" 2>&1; then
        echo "a set that is neither old nor new: $(tail -n 3 "$t/verify.out" | head -n 1)"
    else
        echo "neither the old nor the new set verifies: $(grep -m1 -E 'error|DAMAGED|missing' "$t/verify.out" || head -n 1 "$t/verify.out")"
    fi
}

# listed DIR: how many parts the parts file in DIR lists.
listed() {
    jq '.manifest.parts | length' "$1/x.bundle.parts.json" 2> /dev/null || echo 0
}

# extra_parts DIR: the part files in DIR beyond the count its parts file lists.
extra_parts() {
    parts=$(listed "$1")
    for file in "$1"/x.bundle.[0-9][0-9][0-9]; do
        [ -e "$file" ] || continue
        if [ "$(echo "${file##*.}" | sed 's/^0*//')" -gt "$parts" ]; then
            echo "${file##*/}"
        fi
    done
}

pack_new="pack oci:sample:2.0 -o run/x.bundle --split 2M --sign-key k.key --compression none -q"

# Parts a plain pack over the old set leaves (it does not remove the old set's extra parts) are
# reported once here, not after every faulted run.
rm -rf run
cp -a old run
n=0 mode=count
faulted 0 count $pack_new
if [ "$code" -ne 0 ] || [ -z "$total" ]; then
    fail "$sweep: the counting run failed: $(cat "$t/run.err")"
fi
T=$total
run_failed=0 mode=none call="no fault"
baseline_extra=$(extra_parts run | tr '\n' ' ')
for part in $baseline_extra; do
    problem "a pack without faults leaves $part, beyond the $(listed run) parts listed"
done
modes="eio kill"
modes_count=2
step "$sweep: $T mutating calls, modes: $modes"
for mode in $modes; do
    for n in $(seq 1 "$T"); do
        run_failed=0
        rm -rf run
        cp -a old run
        faulted "$n" "$mode" $pack_new
        after_run
        which_set=$(verify_set run)
        if [ "$mode" = kill ] && [ "$which_set" != old ] && [ "$which_set" != new ]; then
            # Killed inside the switch (a few renames): the next pack to that path puts the old
            # set back before anything else, even one that then fails.
            if ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" "$AIRLOCK" pack oci:sample:9.9 \
                -o run/x.bundle --split 2M --sign-key k.key -q > /dev/null 2>&1; then
                problem "a pack of a missing image exited 0"
            fi
            restored=$(verify_set run)
            [ "$restored" = old ] || problem "after the fault and a failed pack: $restored"
            echo "$n" >> "$t/restored-$sweep"
            which_set=$restored
        fi
        case $which_set in
        old | new) ;;
        *) problem "after the fault: $which_set" ;;
        esac
        if [ "$code" -eq 0 ] && [ "$which_set" != new ]; then
            problem "exited 0 but the new set is not complete"
        fi
        clean $pack_new
        if [ "$code" -ne 0 ]; then
            problem "re-run exited $code: $(head -n 1 "$t/run.err")"
        fi
        for file in run/.x.bundle*tmp-* run/.x.bundle*.old-*; do
            [ ! -e "$file" ] || problem "after the re-run: leftover ${file#run/}"
        done
        which_set=$(verify_set run)
        if [ "$which_set" != new ]; then
            problem "after the re-run: not the new set: $which_set"
        fi
        for part in $(extra_parts run); do
            case " $baseline_extra " in
            *" $part "*) ;;
            *) problem "after the re-run: $part is beyond the $(listed run) parts listed" ;;
            esac
        done
        keep_run run
    done
done
summary
echo "split-pack: $( (cat "$t/restored-$sweep" 2> /dev/null || true) | wc -l) kills inside the switch, each undone by the next pack" | tee -a "$t/summary"

# prune --keep 1 of a store with both versions: a fault (EIO) or a kill at any call leaves a
# valid store whose tags are all the old ones or only the new version's (index.json is
# replaced in one rename, before any blob goes), every tag whole; a clean prune then ends with
# the new version's tags and no blob that nothing reaches.
sweep=prune
modes="eio kill"
modes_count=2
started=$(date +%s)
rm -rf pristine-both
cp -a pristine pristine-both
airlock import v2.bundle --to oci:pristine-both --trusted-key k.pub -q > /dev/null
tags_of() { jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | sort | join(" ")' "$1/index.json"; }
all_tags=$(tags_of pristine-both)
new_tags="localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest"
rm -rf run
cp -a pristine-both run
n=0 mode=count
faulted 0 count prune --keep 1 --store oci:run -q
[ "$code" -eq 0 ] && [ -n "$total" ] || fail "prune: the counting run failed: $(cat "$t/run.err")"
assert_eq "$(tags_of run)" "$new_tags" "tags after a prune without faults"
T=$total
step "$sweep: $T mutating calls, modes: $modes"
for mode in $modes; do
    for n in $(seq 1 "$T"); do
        run_failed=0
        rm -rf run
        cp -a pristine-both run
        faulted "$n" "$mode" prune --keep 1 --store oci:run -q
        after_run
        problems_from "after the fault" $check_store run --ref localhost/sample:2.0
        case "$(tags_of run)" in
        "$all_tags" | "$new_tags") ;;
        *) problem "after the fault: tags neither before nor after: $(tags_of run)" ;;
        esac
        clean prune --keep 1 --store oci:run -q
        [ "$code" -eq 0 ] || problem "re-run exited $code: $(head -n 1 "$t/run.err")"
        [ "$(tags_of run)" = "$new_tags" ] || problem "after the re-run: tags $(tags_of run)"
        problems_from "after the re-run" $check_store --no-debris --ref localhost/sample:2.0 run
        set +e
        "$AIRLOCK" fsck --store oci:run --json > "$t/fsck.json" 2> /dev/null
        set -e
        jq -e '.ok and (.orphans | length) == 0' "$t/fsck.json" > /dev/null ||
            problem "after the re-run: fsck $(jq -c '{ok, orphans: (.orphans | length)}' "$t/fsck.json")"
        keep_run run
    done
done
summary

echo
cat "$t/summary"
if [ -s "$problems" ]; then
    # Kinds: the message with digests and random name suffixes folded, per sweep and mode.
    echo
    echo "problems, by kind (count, first example):"
    sed -E 's/[0-9a-f]{64}/<hex>/g; s/==[0-9]+==/==/g; s/(staging-|tmp-|old-)[a-z0-9]+/\1*/g; s/\[[0-9]+\]/[i]/g' "$problems" \
        | awk -F'\t' '{ kind = $1 " " $2 ": " $5
                        if (!(kind in seen)) { order[++kinds] = kind; example[kind] = "N=" $3 " " $4 }
                        seen[kind]++ }
                      END { for (i = 1; i <= kinds; i++) printf "%5d  %s\n         e.g. %s\n", seen[order[i]], order[i], example[order[i]] }'
    echo
    fail "$(cut -f1-3 "$problems" | sort -u | wc -l) runs left an inconsistent state or did not converge (all problems: $problems)"
fi
