# Ctrl-C in the middle of an import: exit 130, no staging or temp files, store unchanged.
# The bundle is fed through a FIFO so the interrupt lands mid-stream every time.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o s.bundle --sign-key k.key --compression none -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key -q > /dev/null
airlock import v2.bundle --to oci:store --trusted-key k.pub -q > /dev/null
snapshot=$(tree_digest store)

mkfifo pipe
size=$(stat -c %s s.bundle)
"$AIRLOCK" import pipe --to oci:store --trusted-key k.pub > out.txt 2> err.txt &
pid=$!
exec 3> pipe
head -c $((size / 2)) s.bundle >&3
# Wait until the importer has staged something, i.e. it is mid-stream.
for _ in $(seq 1 100); do
    if [ -n "$(ls store/.airlock 2> /dev/null | grep staging || true)" ]; then
        break
    fi
    sleep 0.1
done
ls store/.airlock | grep -q staging || fail "import never started staging"
kill -INT "$pid"
tail -c +$((size / 2 + 1)) s.bundle >&3 || true
exec 3>&-
set +e
wait "$pid"
code=$?
set -e
assert_eq "$code" 130 "exit code after SIGINT"
grep -q "interrupted" err.txt || fail "no 'interrupted' message: $(cat err.txt)"
assert_eq "$(tree_digest store)" "$snapshot" "store after an interrupted import"
test -z "$(ls store/.airlock | grep -v '^lock$' || true)" || fail "staging left behind after SIGINT"
test -z "$(find store -name '*.tmp-*')" || fail "temporary files left behind"

step "the same import run again completes"
airlock import s.bundle --to oci:store --trusted-key k.pub -q > /dev/null
skopeo inspect --raw oci:store:localhost/sample:1.0 > /dev/null
