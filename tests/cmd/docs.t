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

done_testing
