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
    man_opts=$(sed 's/\\-/-/g' "$page" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    is "$cmd: --help and $cmd.1 name the same options" "$help_opts" "$man_opts"
    run "$cmd" --version
    like "$cmd --version" "$rc:$out" "^0:$cmd \(ivrkit\) "
done

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

done_testing
