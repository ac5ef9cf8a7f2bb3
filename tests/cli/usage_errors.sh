# Command lines airlock does not understand: one "airlock: error:" line naming the unknown word,
# the nearest known one, exit 2, and a JSON error object with --json; `airlock help` helps.
. "$(dirname "$0")/common.sh"

expect_fail 2 "unknown command 'pakc' for 'airlock'; did you mean 'pack'\?" airlock pakc -o x.bundle
expect_fail 2 "unknown option '--verison' for 'airlock'; did you mean '--version'\?" airlock --verison
expect_fail 2 "unknown command 'gen' for 'airlock key'; did you mean 'generate'\?" airlock key gen -o k
expect_fail 2 "unknown option '--trusted-kye' for 'airlock verify'; did you mean '--trusted-key'\?" \
    airlock verify b.bundle --trusted-kye k.pub
expect_fail 2 "'airlock' needs a command \(see 'airlock --help'\)" airlock
expect_fail 2 "unknown command 'frobnicate' for 'airlock' \(commands: key, pack" airlock frobnicate

step "--json gets a JSON error object too"
code=0
airlock verify b.bundle --trusted-kye k.pub --json > err.json 2> /dev/null || code=$?
assert_eq "$code" 2 "exit code"
jq -e '.ok == false and .error.class == "usage" and (.error.message | test("--trusted-key")) and .exitCode == 2' \
    err.json > /dev/null || fail "JSON usage error: $(cat err.json)"

step "airlock help"
airlock help | grep -q "Subcommands:" || fail "airlock help printed no commands"
airlock help pack | grep -q -- "--split" || fail "airlock help pack is not pack's help"
airlock -q --progress none help pack | grep -q -- "--split" || fail "help after global options is not pack's help"
airlock help key generate | grep -q -- "--type" || fail "airlock help key generate is not its help"
airlock key generate --help | grep -q "^  -q,--quiet" || fail "key generate --help does not list the options of every command"

step "arguments of the wrong kind are named before any work"
make_key k
mkdir empty-keys
expect_fail 1 "cannot write -o nodir/x.bundle: there is no directory nodir" \
    airlock pack "oci:$images/sample:1.0" -o nodir/x.bundle --sign-key k.key
expect_fail 2 "-o out/ is a directory: give the bundle's file name \(e.g. out${sep}base.bundle\)" \
    airlock pack "oci:$images/sample:1.0" -o out/ --sign-key k.key
expect_fail 2 "is a path, not an image reference; did you mean oci:$images/sample:1.0\?" \
    airlock pack "$images/sample:1.0" -o x.bundle --sign-key k.key
expect_fail 2 "k.pub is a public key: signing needs the private key" \
    airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.pub
airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.key -q > /dev/null
expect_fail 5 "install keys \(\*.pub\) in /nope \(no such directory\)" airlock verify x.bundle --trusted-keys-dir /nope
expect_fail 5 "install keys \(\*.pub\) in empty-keys" airlock verify x.bundle --trusted-keys-dir empty-keys
expect_fail 2 "empty-keys is a directory, not an airlock bundle" airlock verify empty-keys --trusted-key k.pub
expect_fail 4 "not an airlock bundle" airlock verify k.pub --trusted-key k.pub
tar -cf random.tar k.pub
expect_fail 4 "not an airlock bundle" airlock import random.tar --to oci:store --trusted-key k.pub
expect_fail 1 "no store at oci:nope" airlock images --store oci:nope

step "a new store is announced, so that a mistyped --to path shows"
airlock import x.bundle --to oci:deep/new/store --trusted-key k.pub > /dev/null 2> first.err
grep -q "creating a new store at deep/new/store" first.err || fail "no notice of a new store: $(cat first.err)"
airlock import x.bundle --to oci:deep/new/store --trusted-key k.pub > /dev/null 2> second.err
if grep -q "creating a new store" second.err; then
    fail "an existing store was announced as new"
fi

step "a value after an unknown option is never repeated back: it may be a password"
code=0
airlock --creds alice:s3cret pack x --json > creds.json 2> creds.err || code=$?
assert_eq "$code" 2 "exit code"
grep -q "unknown option '--creds' for 'airlock'" creds.err || fail "$(cat creds.err)"
if grep -q "s3cret" creds.err creds.json; then
    fail "the password was echoed: $(cat creds.err creds.json)"
fi
airlock pack --creds alice:s3cret extra -o x.bundle --sign-key k.key --splt 1G > /dev/null 2> creds2.err || true
grep -q "unknown option '--splt'" creds2.err || fail "$(cat creds2.err)"
if grep -q "s3cret" creds2.err; then
    fail "the password was echoed: $(cat creds2.err)"
fi

step "every command's help has examples that parse, and lists the options of every command"
for command in key pack verify inspect import images sign inventory status completion man; do
    airlock help "$command" > "help-$command.txt"
    grep -q "^Examples:" "help-$command.txt" || fail "airlock help $command has no examples"
    grep -q "^  -q,--quiet" "help-$command.txt" || fail "airlock help $command does not list -q"
    # Each example, continuation lines joined, comments and pipes cut: its command is this one,
    # and every option it uses is one the help lists. (--help stops parsing, so it cannot tell.)
    sed -n '/^Examples:/,/^$/p' "help-$command.txt" | sed '1d;/^$/d' |
        sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | sed -e 's/#.*//' -e 's/|.*//' > "examples-$command.txt"
    sed '/^Examples:/,$d' "help-$command.txt" > "options-$command.txt"
    if [ "$command" = key ]; then
        airlock key generate --help >> "options-$command.txt"
    fi
    [ -s "examples-$command.txt" ] || fail "no examples read from airlock help $command"
    while read -r line; do
        # shellcheck disable=SC2086
        set -- $line
        assert_eq "$1 $2" "airlock $command" "the command of example '$line'"
        for word in "$@"; do
            case $word in
            -?*) grep -Eq -- "(^| |,)${word%%=*}([ ,=]|$)" "options-$command.txt" ||
                fail "example '$line' uses $word, which airlock help $command does not list" ;;
            esac
        done
    done < "examples-$command.txt"
done

step "help of an unknown command"
expect_fail 2 "unknown command 'pakc' for 'airlock help'; did you mean 'pack'\\?" airlock help pakc
expect_fail 2 "unknown command 'generat' for 'airlock help key'; did you mean 'generate'\\?" airlock help key generat

step "Windows paths where an image is expected are named as paths too"
for path in 'C:\images\sample:1.0' 'D:/images/sample' '.\sample' '..\images\sample' '\\server\share\sample'; do
    expect_fail 2 "is a path, not an image reference; did you mean oci:" airlock pack "$path" -o x.bundle --sign-key k.key
done
