#!/bin/sh
# registrar.sh DIR PORT PASSWORD [EXPIRES]: a real registrar and proxy for a test
# (Debian's kamailio), on 127.0.0.1:PORT (UDP and TCP) only. It takes a
# REGISTER when its digest answer holds PASSWORD (realm 127.0.0.1), keeps
# the contacts in memory, and relays an INVITE to the contact registered
# for its user (404 when none). EXPIRES: the longest registration it
# grants, in seconds (default an hour). Starts it in the background (its PID in
# DIR/pid, its log in DIR/log, its control socket DIR/ctl for kamcmd) and
# exits 0 when it listens, 77 when kamailio is not installed, 1 when it
# would not start.
set -u
dir=$1 port=$2 password=$3 expires=${4:-3600}
mods=/usr/lib/x86_64-linux-gnu/kamailio/modules
[ -d "$mods" ] || mods=$(dirname "$(find /usr/lib -name registrar.so -path '*kamailio*' 2>/dev/null | head -n 1)")
command -v kamailio >/dev/null && [ -f "$mods/registrar.so" ] || {
    echo "registrar.sh: kamailio missing (apt-get install kamailio)" >&2
    exit 77
}
mkdir -p "$dir"
cat >"$dir/kamailio.cfg" <<CONF
#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
listen=udp:127.0.0.1:$port
listen=tcp:127.0.0.1:$port
auto_aliases=no
alias="127.0.0.1:$port"
mpath="$mods/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "textops.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "xlog.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "unix:$dir/ctl")
modparam("registrar", "min_expires", 1)
modparam("registrar", "max_expires", $expires)

request_route {
    if (!mf_process_maxfwd_header("10")) {
        sl_send_reply("483", "Too Many Hops");
        exit;
    }
    if (has_totag()) {
        if (loose_route() || is_method("ACK"))
            t_relay();
        else
            sl_send_reply("404", "Not Here");
        exit;
    }
    if (is_method("REGISTER")) {
        if (!pv_www_authenticate("\$td", "$password", "0")) {
            xlog("L_NOTICE", "REGISTER \$tu from \$si:\$sp: challenged\n");
            www_challenge("\$td", "0");
            exit;
        }
        xlog("L_NOTICE", "REGISTER \$tu from \$si:\$sp: \$hdr(Contact)\n");
        if (!save("location"))
            sl_reply_error();
        exit;
    }
    if (is_method("CANCEL")) {
        if (t_check_trans())
            t_relay();
        exit;
    }
    if (is_method("INVITE")) {
        if (!lookup("location")) {
            sl_send_reply("404", "Not Found");
            exit;
        }
        record_route();
        t_relay();
        exit;
    }
    sl_send_reply("405", "Method Not Allowed");
}
CONF
kamailio -f "$dir/kamailio.cfg" -DD -E -m 32 -M 4 -w "$dir" -Y "$dir" \
    >"$dir/log" 2>&1 &
echo $! >"$dir/pid"
i=0
while [ $i -lt 100 ]; do
    [ -S "$dir/ctl" ] && kamcmd -s "unix:$dir/ctl" core.version >/dev/null 2>&1 && exit 0
    kill -0 $! 2>/dev/null || break
    sleep 0.05; i=$((i + 1))
done
echo "registrar.sh: kamailio did not start (see $dir/log)" >&2
exit 1
