#!/bin/sh
# Every command's --help and man page name the same options, and every
# command has a man page and --version.
. "$(dirname "$0")/lib.sh"

for bin in "$BUILD"/ivr-*; do
    cmd=$(basename "$bin")
    page="$TOP/man/$cmd.1"
    ok "$cmd has a man page" test -f "$page"
    [ -f "$page" ] || continue
    help_opts=$("$cmd" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    # options outside the examples (which may run other commands)
    man_opts=$(sed '/^\.SH EXAMPLES/,/^\.SH /d; s/\\-/-/g' "$page" |
        grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    is "$cmd: --help and $cmd.1 name the same options" "$help_opts" "$man_opts"
    run "$cmd" --version
    like "$cmd --version" "$rc:$out" "^0:$cmd \(ivrkit\) "
done

# One short letter means one long option in every command (-v is --verbose
# everywhere, never --voice)
letters=$(for bin in "$BUILD"/ivr-*; do
    cmd=$(basename "$bin")
    { "$cmd" --help
      [ "$cmd" = ivr-dtmf ] && { "$cmd" gen --help; "$cmd" detect --help; }
    } | grep -oE -- '^ +-[a-zA-Z], --[a-z][a-z0-9-]*' | sed 's/^ *//'
done | sort -u)
clashes=$(echo "$letters" | cut -c2 | uniq -d)
is "each short option letter means one long option across the commands" \
   "$clashes" ""
[ -z "$clashes" ] || diag "$letters"

# Exit statuses come from core/include/error.h: each code a page or --help
# gives is one of its statuses, the page and --help give the same codes,
# and the README's table gives them all
statuses=$(sed -n 's/^ *IVR_[A-Z]* = \([0-9]*\),* .*/\1/p' \
    "$TOP/core/include/error.h" | sort -n | tr '\n' ' ')
like "error.h defines the statuses 0 to 6" "$statuses" '^0 1 2 3 4 5 6 $'
for bin in "$BUILD"/ivr-*; do
    cmd=$(basename "$bin")
    page="$TOP/man/$cmd.1"
    man_codes=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH [^E]/p' "$page" |
        sed -n 's/^\.B \([0-9]*\)$/\1/p' | grep -vE '^1[0-9][0-9]$' | tr '\n' ' ')
    help_codes=$("$cmd" --help | sed -n '/^Exit status:/,$p' | tr '\n' ' ' |
        grep -oE '(^|[ ,:])[0-9]+ [a-z-]' | grep -oE '[0-9]+' | tr '\n' ' ')
    is "$cmd: --help and $cmd.1 give the same exit statuses" \
       "$help_codes" "$man_codes"
    for c in $man_codes; do
        case " $statuses" in
        *" $c "*) ;;
        *) ok "$cmd.1: exit status $c is one of error.h's" false ;;
        esac
    done
    if "$cmd" --help | grep -q -- '--device'; then
        like "$cmd has a --device, so its page says when it exits 4" \
             "$man_codes" ' 4 '
    fi
done
readme_codes=$(sed -n '/^## Exit status/,/^## /p' "$TOP/README.md" |
    sed -n 's/^| \([0-9]\) |.*/\1/p' | tr '\n' ' ')
is "README's exit status table gives every status of error.h" \
   "$readme_codes" "$statuses"

# Every page renders without a warning from groff (a raw request mid-line,
# an unknown escape, a bad macro call)
for page in "$TOP"/man/*.[15]; do
    is "$(basename "$page") renders cleanly (groff -ww)" \
       "$(groff -ww -man -Tutf8 -z "$page" 2>&1)" ""
done

# Every example in the man pages runs, as written, from the top of the
# source tree (the bundled samples and menus), in the order of its page:
# a later example may use what an earlier one made.
# one file per block: DIR/example.1, DIR/example.2, ... (groff escapes
# undone: \- is -, \e is a backslash)
examples() {  # examples PAGE DIR
    awk -v dir="$2" '
        /^\.SH / { on = ($2 == "EXAMPLES"); next }
        on && /^\.(EX|nf)/ { n++; block = 1; next }
        on && /^\.(EE|fi)/ { block = 0; next }
        on && block {
            line = $0
            gsub(/\\-/, "-", line)
            gsub(/\\e/, "\\", line)
            print line > (dir "/example." n)
        }' "$1"
}
for page in "$TOP"/man/*.[15]; do
    name=$(basename "$page")
    dir="$T/examples/$name"
    mkdir -p "$dir"
    ln -s "$TOP/samples" "$TOP/menus" "$dir/"
    examples "$page" "$dir"
    i=1
    while [ -f "$dir/example.$i" ]; do
        (cd "$dir" && XDG_CACHE_HOME="$T/cache" sh -e "example.$i") \
            >"$dir/out.$i" 2>&1
        rc=$?
        is "$name, example $i runs: $(sed -n '1s/^ *//p' "$dir/example.$i")" \
           "$rc" 0
        [ "$rc" = 0 ] || diag "$(cat "$dir/out.$i")"
        i=$((i + 1))
    done
done

# Every ```sh block of the README runs too, in a folder of its own with the
# samples, menus and a copy of the call suites (--gen-tests writes there),
# except a block under a "<!-- docs.t: not run (why) -->" line
readme="$T/readme"
mkdir -p "$readme/tests"
ln -s "$TOP/samples" "$TOP/menus" "$readme/"
cp -R "$TOP/tests/calls" "$readme/tests/"
awk -v dir="$readme" '
    /^<!-- docs.t: not run/ { skip = 1; next }
    /^```sh$/ { n++; block = !skip; skip = 0; if (block) print n > (dir "/blocks"); next }
    /^```/ { block = 0; next }
    /^[^<]/ { if (!block) skip = 0 }
    block { print > (dir "/block." n) }' "$TOP/README.md"
ran=0
for n in $(cat "$readme/blocks"); do
    (cd "$readme" && XDG_CACHE_HOME="$T/cache" XDG_DATA_HOME="$readme/data" \
        XDG_CONFIG_HOME="$readme/config" sh -e "block.$n") \
        >"$readme/out.$n" 2>&1
    rc=$?
    is "README, example block $n runs: $(sed -n '1{s/  *#.*//;p;}' "$readme/block.$n")" \
       "$rc" 0
    [ "$rc" = 0 ] || diag "$(tail -5 "$readme/out.$n")"
    ran=$((ran + 1))
done
ok "the README's examples were found ($ran blocks)" test "$ran" -ge 5

done_testing
