# Man pages: `airlock man` writes one for airlock and one for each command, which groff renders
# without a warning and lexgrog and man read; each says what the command's --help says (every
# option, the examples, the exit codes), and the same bytes every time.
. "$(dirname "$0")/common.sh"

for tool in groff lexgrog man; do
    command -v $tool > /dev/null || skip "$tool is not installed (groff-base, man-db)"
done

step "--list names airlock's page and one for each command --help lists"
airlock man --list > pages.txt
(
    echo airlock
    command_paths | tr ' ' '-' | sed 's/^/airlock-/'
) > expected-pages.txt
if ! cmp -s expected-pages.txt pages.txt; then
    diff expected-pages.txt pages.txt >&2 || true
    fail "airlock man --list is not airlock and the commands of --help (< help, > list)"
fi

# Each page with its command's words ("airlock-key-sign-file" is `key sign-file`).
(
    echo "airlock|"
    command_paths | while read -r path; do echo "airlock-$(echo "$path" | tr ' ' '-')|$path"; done
) > page-words.txt

export SOURCE_DATE_EPOCH=1795000000 # 2026-11-18
while IFS='|' read -r page words; do
    step "$page"
    airlock man "$page" > "$page.1"
    # roff that groff reads without a warning of any kind.
    groff -man -Tutf8 -ww -z "$page.1" 2> groff.err || fail "groff failed on $page.1: $(cat groff.err)"
    [ ! -s groff.err ] || fail "groff warns about $page.1: $(cat groff.err)"
    # A NAME line that mandb indexes (what apropos and whatis show).
    lexgrog "$page.1" > lexgrog.out || fail "lexgrog finds no NAME in $page.1: $(cat lexgrog.out)"
    grep -q ": \"$page - " lexgrog.out || fail "lexgrog reads another name: $(cat lexgrog.out)"
    MANWIDTH=80 man -l -P cat "$page.1" > man.out 2> man.err || fail "man -l $page.1 failed: $(cat man.err)"
    grep -q "^NAME" man.out || fail "man -l $page.1 shows no NAME section"
    head -n 1 man.out | grep -Eq "^$(echo "$page" | tr '[:lower:]' '[:upper:]')\\(1\\)" ||
        fail "man -l $page.1 has another title: $(head -n 1 man.out)"
    grep -q '^\.TH [A-Z-]* 1 "2026-11-18" "airlock [0-9.]*"' "$page.1" ||
        fail "the title line of $page.1 is not dated by SOURCE_DATE_EPOCH: $(grep '^\.TH' "$page.1")"

    # The page says what --help says: rendered in ASCII, hyphens are plain minus signs again.
    groff -man -Tascii -P-bcu -rLL=250n "$page.1" > page.txt 2> /dev/null
    # shellcheck disable=SC2086
    airlock help $words > help.txt
    # shellcheck disable=SC2086
    for name in $(help_option_names $words) $(sed -n '/^Positionals:/,/^$/p' help.txt | awk 'NR > 1 && NF { print $1 }'); do
        grep -Eq -- "(^| |,)$name( |,|=|$)" page.txt || fail "$page.1 does not describe $name"
    done
    # Each option as its --help line has it: names, value name and the rest ("-o,--output FILE
    # REQUIRED") in a column of 30, then its description (beside it, or on the next line when
    # the column is full).
    sed -n '/^Options:/,/^$/p' help.txt | sed '1d;/^$/d' | awk '
        function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
        function flush() { if (line != "") print trim(substr(line, 1, 30)) "\t" trim(substr(line, 31)) }
        /^  -/ { flush(); line = $0; next }
        { print trim(line) "\t" trim($0); line = "" }
        END { flush() }' > option-lines.txt
    [ -s option-lines.txt ] || fail "no options read from airlock help $words"
    while IFS="$(printf '\t')" read -r name desc; do
        grep -qF -- "$name" page.txt || fail "$page.1 lacks '$name' (airlock help $words)"
        grep -qF -- "$desc" page.txt || fail "$page.1 lacks the description of $name: '$desc'"
    done < option-lines.txt
    # The examples of --help, each on a line of its own.
    sed -n '/^Examples:/,/^$/p' help.txt | sed '1d;/^$/d;s/^ *//' > examples.txt
    while read -r example; do
        grep -qxF -- "$example" page.txt || sed 's/^ *//' page.txt | grep -qxF -- "$example" ||
            fail "$page.1 lacks the example '$example'"
    done < examples.txt
    # The exit codes of --help's footer ("Exit codes: 0 ok, 1 failure, ...").
    if [ "$page" != airlock ]; then
        sed -n '/^Exit codes:/,$p' help.txt | tr '\n' ' ' | sed 's/^Exit codes: //; s/ (docs\/usage.md)\. *$//' |
            tr ',' '\n' | awk 'NF' > codes.txt
        [ "$(wc -l < codes.txt)" -ge 8 ] || fail "no exit codes read from airlock help $words"
        while read -r code meaning; do
            grep -Eq "^ +$code +$meaning$" page.txt || fail "$page.1 lacks exit code $code ($meaning)"
        done < codes.txt
    fi
done < page-words.txt

step "the same page twice, and by its command's words"
airlock man key generate > again.1
cmp airlock-key-generate.1 again.1 || fail "airlock man key generate differs from airlock man airlock-key-generate"
airlock man > again.1
cmp airlock.1 again.1 || fail "airlock man differs from airlock man airlock"

step "the date: SOURCE_DATE_EPOCH, else the version's (never the time of the run)"
SOURCE_DATE_EPOCH=0 airlock man pack | grep -q '^\.TH AIRLOCK-PACK 1 "1970-01-01" ' ||
    fail "SOURCE_DATE_EPOCH=0 is not 1970-01-01"
unset SOURCE_DATE_EPOCH
version_date=$(sed -n 's/^set(AIRLOCK_VERSION_DATE \(.*\))$/\1/p' "$AIRLOCK_SOURCE/CMakeLists.txt")
[ -n "$version_date" ] || fail "no AIRLOCK_VERSION_DATE in CMakeLists.txt"
airlock man pack > undated.1
grep -q "^\.TH AIRLOCK-PACK 1 \"$version_date\" " undated.1 ||
    fail "without SOURCE_DATE_EPOCH, the date is not the version's ($version_date): $(grep '^\.TH' undated.1)"

step "a command that does not exist: one line, exit 2"
expect_fail 2 "^airlock: error: unknown command 'pakc' for 'airlock man'; did you mean 'pack'\?$" airlock man pakc
[ "$(wc -l < "$t/err")" -eq 1 ] || fail "more than one line: $(cat "$t/err")"
[ ! -s "$t/out" ] || fail "a page was printed for an unknown command"
expect_fail 2 "unknown command 'generat' for 'airlock man key'; did you mean 'generate'\?" airlock man key generat
expect_fail 2 "unknown command 'x' for 'airlock man pack'" airlock man pack x
expect_fail 2 "excludes" airlock man --list pack
