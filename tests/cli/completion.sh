# Shell completion: the scripts `airlock completion bash|zsh` print offer the commands, options
# and values --help lists: in bash, with and without the bash-completion package, and in zsh,
# installed in $fpath and sourced.
. "$(dirname "$0")/common.sh"

command -v bash > /dev/null || skip "bash is not installed"
airlock completion bash > airlock.bash
airlock completion zsh > _airlock
bash -n airlock.bash || fail "the bash script does not parse"
expect_fail 2 "shell: fish not in \{bash,zsh\}" airlock completion fish

# complete.bash SCRIPT LINE [BASH_COMPLETION]: what _airlock offers for LINE, the cursor at its
# end, one a line; with BASH_COMPLETION, that package is loaded first.
cat > complete.bash << 'EOF'
if [[ -n ${3:-} ]]; then
    . "$3"
fi
. "$1"
line=$2
# COMP_WORDS as bash splits the line: at blanks, and around each run of the characters of
# COMP_WORDBREAKS it keeps (= and :), which is a word of its own ("--to oci:/x" is "--to" "oci"
# ":" "/x"); the word at the cursor is empty after a blank or a break.
COMP_WORDS=()
word='' class=''
for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == [[:space:]] ]]; then
        [[ -n $word ]] && COMP_WORDS+=("$word")
        word='' class=''
        continue
    fi
    [[ $c == [=:] ]] && now=break || now=text
    if [[ -n $word && $now != "$class" ]]; then
        COMP_WORDS+=("$word")
        word=''
    fi
    word+=$c class=$now
done
COMP_WORDS+=("$word")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
cur=${COMP_WORDS[COMP_CWORD]}
[[ $cur == *[=:] ]] && cur=''
_airlock airlock "$cur" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
EOF

# A directory to complete paths in.
mkdir -p files/sub files/other
touch files/a.bundle files/b.key
cd files

# expect_replies LINE WANT...: bash offers exactly WANT for LINE (in any order).
expect_replies() {
    line=$1
    shift
    # shellcheck disable=SC2086
    got=$(bash --norc --noprofile "$t/complete.bash" "$t/airlock.bash" "$line" $bash_completion |
        LC_ALL=C sort | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
    assert_eq "$got" "$want" "bash${bash_completion:+ with bash-completion} offers for '$line'"
}

commands=$(airlock --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "airlock --help lists no commands"

bash_completion=""
for with in plain bash-completion; do
    if [ $with = bash-completion ]; then
        bash_completion=/usr/share/bash-completion/bash_completion
        if [ ! -f $bash_completion ]; then
            echo "note: the bash-completion package is not installed; checked without it only"
            break
        fi
    fi
    step "bash ($with)"
    # shellcheck disable=SC2086
    expect_replies "airlock " $commands help
    expect_replies "airlock pa" pack
    expect_replies "airlock pack --si" --sign-key --since
    expect_replies "airlock pack --sp" --split
    expect_replies "airlock -q pack x.bundle --jso" --json
    expect_replies "airlock --progress " auto json none
    expect_replies "airlock pack --progress=j" json
    expect_replies "airlock key " generate sign-file verify-file
    expect_replies "airlock key generate --type " ed25519 ecdsa-p256
    expect_replies "airlock import x.bundle --channel-state " registry local
    expect_replies "airlock completion " bash zsh
    expect_replies "airlock import x.bundle --to " oci: docker:// docker-engine containerd podman containers-storage
    expect_replies "airlock import x.bundle --to d" docker:// docker-engine
    expect_replies "airlock import x.bundle --to=c" containerd containers-storage
    # After the colon, a directory; bash replaces only what follows the colon.
    expect_replies "airlock import x.bundle --to oci:" other sub
    expect_replies "airlock import x.bundle --to oci:s" sub
    expect_replies "airlock images --store " oci:
    expect_replies "airlock status --store oci:o" other
    expect_replies "airlock verify " a.bundle b.key other sub
    expect_replies "airlock verify a" a.bundle
    expect_replies "airlock import --trusted-key b" b.key
    expect_replies "airlock pack alpine -o " a.bundle b.key other sub
    expect_replies "airlock pack --cache " other sub
    expect_replies "airlock verify x.bundle --parts-dir o" other
    expect_replies "airlock --config a" a.bundle
    expect_replies "airlock help " $commands
    expect_replies "airlock help key " generate sign-file verify-file
    expect_replies "airlock help pack " # pack has no subcommands
    expect_replies "airlock man k" key
    expect_replies "airlock man key g" generate
    expect_replies "airlock pack alpine " # image references: nothing to offer
done

step "every option of every command's --help is in the bash script, and nothing else"
(echo ""; command_paths) > paths.txt
while read -r path; do
    # shellcheck disable=SC2086
    help_option_names $path | LC_ALL=C sort -u > help.txt
    bash --norc --noprofile -c '. "$1"; __airlock_command "$2" && printf "%s\n" $__airlock_flags $__airlock_options' \
        bash "$t/airlock.bash" "$path" | LC_ALL=C sort -u > data.txt
    [ -s help.txt ] || fail "no options read from airlock help $path"
    if ! cmp -s help.txt data.txt; then
        diff help.txt data.txt >&2 || true
        fail "the bash script's options of 'airlock $path' are not those of its --help (< help, > script)"
    fi
done < paths.txt
echo "ok: $(wc -l < paths.txt) commands"

step "zsh"
if ! command -v zsh > /dev/null; then
    echo "note: zsh is not installed; its script is not checked"
    exit 0
fi
zsh -n "$t/_airlock" || fail "the zsh script does not parse"
head -n 1 "$t/_airlock" | grep -qx '#compdef airlock' || fail "the zsh script does not start with #compdef airlock"
# Each command's function has an _arguments spec for each option its --help lists.
while read -r path; do
    function=$(echo "_airlock${path:+ $path}" | tr ' -' '__')
    sed -n "/^$function() {/,/^}/p" "$t/_airlock" > function.txt
    [ -s function.txt ] || fail "the zsh script has no $function for 'airlock $path'"
    # shellcheck disable=SC2086
    for name in $(help_option_names $path); do
        grep -Eq -- "'(\\([^)]*\\)|\\*)$name[=+]?\\[" function.txt ||
            fail "$function has no _arguments spec for $name"
    done
done < paths.txt

# zcomplete.zsh FPATH-DIR|SCRIPT LINE...: for each LINE, what zsh's completion offers with the
# cursor at its end, one "LINE => MATCH" a line. An interactive zsh in a pseudo-terminal
# (zsh/zpty) types each line and a tab, with compadd wrapped to print what it is given; the
# script is autoloaded from FPATH-DIR, or SCRIPT is sourced after compinit.
cat > "$t/zcomplete.zsh" << 'EOF'
zmodload zsh/zpty || exit 77
script=$1
shift
if [[ -d $script ]]; then
    load="fpath=(${(q)script} \$fpath); autoload -U compinit; compinit -u -d ${(q)script}/.zcompdump"
else
    load="autoload -U compinit; compinit -u -d ${(q)script}.zcompdump; source ${(q)script}"
fi
for line in "$@"; do
    zpty z zsh -f -i
    zpty -w z "PS1=''; $load"
    zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a __hits; builtin compadd -A __hits "$@"; (( $#__hits )) && print -rl -- ${^__hits/#/MATCH:}; builtin compadd "$@"; }'
    zpty -w z 'comppostfuncs=(__done); __done() { print -r -- COMPLETION""-DONE; }'
    zpty -w -n z "$line"$'\t'
    out=''
    deadline=$((SECONDS + 30))
    while (( SECONDS < deadline )); do
        if zpty -r -t z chunk; then
            out+=$chunk
            [[ $out == *COMPLETION-DONE* ]] && break
        else
            sleep 0.05
        fi
    done
    zpty -d z
    [[ $out == *COMPLETION-DONE* ]] || print -r -- "$line => (no answer)"
    for match in ${(f)out}; do
        match=${match%$'\r'}
        # A match may follow the typed line on its screen line; the wrapper's own text, echoed
        # when it was typed, is none.
        [[ $match == *MATCH:* && $match != *__hits* ]] && print -r -- "$line => ${match##*MATCH:}"
    done
done
EOF
zsh -f -c 'zmodload zsh/zpty' 2> /dev/null || {
    echo "note: zsh has no zsh/zpty module; completions are not tried"
    exit 0
}
mkdir -p "$t/fpath"
cp "$t/_airlock" "$t/fpath/_airlock"

# zsh_offers FPATH-DIR|SCRIPT: reads "LINE|WANT..." lines; zsh offers exactly WANT for each LINE.
zsh_offers() {
    : > "$t/zsh-want.txt"
    while IFS='|' read -r line want; do
        echo "$line" >> "$t/zsh-lines.txt"
        for word in $want; do
            echo "$line => $word" >> "$t/zsh-want.txt"
        done
    done
    tr '\n' '\0' < "$t/zsh-lines.txt" | xargs -0 zsh -f "$t/zcomplete.zsh" "$1" |
        LC_ALL=C sort -u > "$t/zsh-got.txt"
    LC_ALL=C sort -u "$t/zsh-want.txt" -o "$t/zsh-want.txt"
    rm "$t/zsh-lines.txt"
    if ! cmp -s "$t/zsh-want.txt" "$t/zsh-got.txt"; then
        diff "$t/zsh-want.txt" "$t/zsh-got.txt" >&2 || true
        fail "zsh ($1) does not offer what it should (< expected, > offered)"
    fi
}

zsh_offers "$t/fpath" << EOF
airlock |$(echo $commands) help
airlock pa|pack
airlock pack --si|--sign-key --since
airlock -q pack x.bundle --jso|--json
airlock --progress |auto json none
airlock key generate --type |ed25519 ecdsa-p256
airlock import x.bundle --to |oci: docker:// docker-engine containerd podman containers-storage
airlock import x.bundle --to oci:|other sub
airlock images --store |oci:
airlock verify a|a.bundle
airlock pack --cache |other sub
airlock help key |generate sign-file verify-file
airlock man k|key
EOF
echo "ok: installed in \$fpath"
zsh_offers "$t/_airlock" << EOF
airlock pa|pack
airlock import x.bundle --to=oci:s|sub
airlock completion |bash zsh
EOF
echo "ok: sourced after compinit"
