# Progress of long phases: JSON lines with --progress=json (every stderr line an object, each
# phase reaching done == total), a line with rate and time left on a terminal that is cleared
# before results, nothing at all when stderr is not a terminal; the download phase of a
# registry pack says which blobs came from the cache or resumed a partial download.
. "$(dirname "$0")/common.sh"

command -v script > /dev/null || skip "script (bsdutils) is not installed"
make_key k

# check_json_lines FILE PHASE...: every line of FILE is a JSON object with an "event", and each
# PHASE has a progress event at done == total and a complete phase-end.
check_json_lines() {
    python3 - "$@" << 'EOF'
import json, sys
path, phases = sys.argv[1], sys.argv[2:]
events = []
for number, line in enumerate(open(path, encoding="utf-8"), 1):
    try:
        event = json.loads(line)
    except ValueError:
        sys.exit(f"{path}:{number} is not JSON: {line!r}")
    if not isinstance(event, dict) or "event" not in event:
        sys.exit(f"{path}:{number} is not an event: {line!r}")
    events.append(event)
for phase in phases:
    steps = [e for e in events if e["event"] == "progress" and e["phase"] == phase]
    if not steps:
        sys.exit(f"no progress of {phase}")
    for e in steps:
        for key in ("done", "total", "items", "itemsTotal", "bytesPerSecond", "etaSeconds"):
            if key not in e:
                sys.exit(f"{phase}: no {key} in {e}")
    last = steps[-1]
    if last["done"] != last["total"] or last["items"] != last["itemsTotal"]:
        sys.exit(f"{phase} ended short: {last}")
    ends = [e for e in events if e["event"] == "phase-end" and e["phase"] == phase]
    if len(ends) != 1 or not ends[0]["complete"] or ends[0]["done"] != last["total"]:
        sys.exit(f"{phase}: phase-end {ends}")
EOF
}

step "--progress=json: stderr is JSON lines; the write phase reaches done == total"
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key --progress=json > pack.out 2> pack.err
check_json_lines pack.err write || fail "pack --progress=json: $(cat pack.err)"
grep -q '"event":"info","message":"resolved oci:' pack.err || fail "no info event: $(cat pack.err)"
grep -q "^wrote a.bundle" pack.out || fail "the result is not on stdout"
airlock verify a.bundle --trusted-key k.pub --progress json > verify.out 2> verify.err
check_json_lines verify.err verify || fail "verify --progress json: $(cat verify.err)"
airlock import a.bundle --to oci:store --trusted-key k.pub --progress=json > import.out 2> import.err
check_json_lines import.err import || fail "import --progress=json: $(cat import.err)"

step "--progress=json: errors are JSON lines too"
expect_fail 1 '"event":"error"' airlock verify missing.bundle --trusted-key k.pub --progress=json
check_json_lines "$t/err" || fail "an error in JSON-lines mode: $(cat "$t/err")"
expect_fail 2 '"event":"error".*"class":"usage"' airlock verify a.bundle --bogus --progress=json
expect_fail 2 "--progress: sometimes not in \\{auto,json,none\\}" airlock verify a.bundle --trusted-key k.pub --progress=sometimes

step "no terminal, no --progress: no progress on stderr"
airlock pack "oci:$images/sample:1.0" -o b.bundle --sign-key k.key > plain.out 2> plain.err
airlock verify b.bundle --trusted-key k.pub >> plain.out 2>> plain.err
if grep -q "$(printf '\r')\|%\|event" plain.err; then
    fail "progress without a terminal: $(cat -A plain.err)"
fi
grep -q "^resolved oci:" plain.err || fail "the information lines went: $(cat plain.err)"

# on_terminal FILE COMMAND: runs COMMAND (one string) with stdout and stderr on a terminal.
on_terminal() {
    out=$1
    shift
    script -qec "$*" /dev/null > "$out"
}

# clean_results FILE TEXT: TEXT (a result line) starts a line on the screen: at a line start or
# right after the progress line was erased, never after "%)" of a progress line.
clean_results() {
    python3 - "$1" "$2" << 'EOF'
import sys
data, text = open(sys.argv[1], "rb").read().decode(), sys.argv[2]
at = data.find(text)
if at < 0:
    sys.exit(f"no {text!r} in {data!r}")
before = data[:at]
if not (before == "" or before.endswith("\n") or before.endswith("\r\x1b[K")):
    sys.exit(f"{text!r} follows {before[-60:]!r}")
EOF
}

step "on a terminal: a progress line with rate and time left, erased before the result"
# A bundle fed slowly through a FIFO makes a phase long enough for a rate and an estimate.
size=$(stat -c %s a.bundle)
half=$((size / 3))
mkfifo slow.fifo
(
    head -c "$half" a.bundle
    sleep 0.7
    tail -c +$((half + 1)) a.bundle | head -c "$half"
    sleep 0.7
    tail -c +$((2 * half + 1)) a.bundle
) > slow.fifo &
on_terminal tty-verify.out "$AIRLOCK" verify slow.fifo --trusted-key k.pub
grep -q "verifying [0-9]*/4 blobs: .*([0-9]*%), [0-9.]* [KMG]*i*B/s, ETA [0-9]*:[0-9][0-9]" tty-verify.out ||
    fail "no rate and time left: $(cat -A tty-verify.out)"
clean_results tty-verify.out "slow.fifo: OK" || fail "the result ran into the progress line"
on_terminal tty-pack.out "$AIRLOCK" pack "oci:$images/sample:1.0" -o c.bundle --sign-key k.key
grep -q "writing [0-9]/4 blobs: " tty-pack.out || fail "pack showed no progress: $(cat -A tty-pack.out)"
clean_results tty-pack.out "wrote c.bundle" || fail "the result ran into the progress line"

step "on a terminal: nothing with --progress=none or --quiet"
on_terminal tty-none.out "$AIRLOCK" pack "oci:$images/sample:1.0" -o d.bundle --sign-key k.key --progress=none
on_terminal tty-quiet.out "$AIRLOCK" pack "oci:$images/sample:1.0" -o e.bundle --sign-key k.key -q
if grep -q "writing\|$(printf '\033')" tty-none.out tty-quiet.out; then
    fail "progress despite --progress=none or --quiet: $(cat -A tty-none.out tty-quiet.out)"
fi

step "a registry pack: the download phase, and which blobs came from the cache or resumed"
command -v docker-registry > /dev/null || {
    echo "docker-registry is not installed: download phase not tested"
    exit 0
}
start_registry plain reg
push sample:1.0 library/sample:1.0 --dest-tls-verify=false
from_registry() { # CACHE [ARGS...]
    cache=$1
    shift
    airlock pack "$REGISTRY/library/sample:1.0" -o "$cache.bundle" --sign-key k.key --cache "$cache" \
        --insecure-registry "$REGISTRY" --progress=json "$@" > /dev/null
}
from_registry c1 2> first.err
check_json_lines first.err download write || fail "registry pack: $(cat first.err)"
grep -q '"message":"fetching 2 layers ([0-9.]* [KM]*i*B) with 2 parallel downloads"' first.err ||
    fail "the download was not announced: $(cat first.err)"
from_registry c1 2> again.err
grep -q '"message":"nothing to download: 2 layers from the cache"' again.err ||
    fail "the cache was not named: $(cat again.err)"
if grep -q '"phase":"download"' again.err; then
    fail "a download phase with nothing to download"
fi
# One layer in the cache, a partial download of the other, as an interrupted pack leaves them.
skopeo inspect --tls-verify=false --raw "docker://$REGISTRY/library/sample:1.0" > manifest.json
layer0=$(jq -r '.layers[0].digest' manifest.json | cut -d: -f2)
layer1=$(jq -r '.layers[1].digest' manifest.json | cut -d: -f2)
mkdir -p c2/partial c2/blobs/sha256
head -c 1000 "c1/blobs/sha256/$layer0" > "c2/partial/$layer0"
cp "c1/blobs/sha256/$layer1" c2/blobs/sha256/
from_registry c2 2> resumed.err
check_json_lines resumed.err download write || fail "resumed pack: $(cat resumed.err)"
grep -q '"message":"fetching 1 layer ([0-9.]* [KM]*i*B); 1 layer from the cache, 1 resuming a partial download"' resumed.err ||
    fail "the resumed download was not named: $(cat resumed.err)"
cmp -s c1.bundle c2.bundle || fail "the resumed pack wrote another bundle"
echo "ok"
