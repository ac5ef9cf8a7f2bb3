# The benchmark harness end to end at a tiny size, so that it keeps working; the figures of a
# sanitizer build mean nothing and are not checked, only that every step ran and was reported.
. "$AIRLOCK_SOURCE/tests/cli/common.sh"

step "scripts/bench/run at a smoke size"
python3 "$AIRLOCK_SOURCE/scripts/bench/run" --airlock "$AIRLOCK" --dir "$t/bench" --size-gib 0.01 \
    --runs 1 --rss-gib 0.005,0.01 --level-sample-mib 2 > table.md 2> bench.log || {
    cat bench.log >&2
    exit 1
}
for row in "pack cold: airlock" "pack cold: skopeo oci-archive + zstd" "pack warm: airlock" \
    "verify: airlock" "import oci: airlock" "import registry: airlock" "limit: write + fsync" \
    "import oci vs bound" "gzip layer, as shipped | 19" "| 0.01 GiB |"; do
    grep -qF "$row" table.md || {
        cat table.md >&2
        echo "missing row: $row" >&2
        exit 1
    }
done

step "scripts/bench/run --catalog at a smoke size"
python3 "$AIRLOCK_SOURCE/scripts/bench/run" --airlock "$AIRLOCK" --dir "$t/bench" --catalog 20,40 \
    --runs 1 > catalog.md 2> catalog.log || {
    cat catalog.log >&2
    exit 1
}
for row in "| pack | 40 |" "| import oci: | 40 |" "| images --json | 20 |" "| prune --keep 1 | 40 |" \
    "(x2 images)"; do
    grep -qF "$row" catalog.md || {
        cat catalog.md >&2
        echo "missing row: $row" >&2
        exit 1
    }
done
echo ok
