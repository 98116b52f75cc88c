#!/bin/sh
# baresip.sh DIR SIP_PORT CTRL_PORT USER [SOURCE.wav] [CODECS] [ANSWER]: a real
# softphone (Debian's baresip) for a test, on 127.0.0.1 only: it listens
# for SIP on SIP_PORT, takes commands on CTRL_PORT (tests/sip/drive.py),
# calls as sip:USER@127.0.0.1, says SOURCE (a WAV at 8 kHz; silence
# without one), and keeps what it heard in DIR/snd. CODECS: the codecs it
# offers (default PCMU; the account module comes after the codecs' so that
# it finds them). Starts it in the background (its PID in DIR/pid,
# its log in DIR/log) and exits 0, or 77 when baresip is not installed.
# ANSWER: manual (default) or auto, how it takes a call to it.
set -u
dir=$1 sip=$2 ctrl=$3 user=$4 source=${5:-} codecs=${6:-PCMU}
answer=${7:-manual}
mods=/usr/lib/baresip/modules
command -v baresip >/dev/null && [ -f "$mods/ctrl_tcp.so" ] || {
    echo "baresip.sh: baresip missing (apt-get install baresip-core)" >&2
    exit 77
}
mkdir -p "$dir/snd"
if [ -z "$source" ]; then
    source=$dir/silence.wav
    sox -n -r 8000 -c 1 -b 16 "$source" trim 0 60
fi
cat >"$dir/config" <<CONF
poll_method		epoll
sip_listen		127.0.0.1:$sip
net_interface		127.0.0.1
audio_source		aufile,$source
audio_player		aufile,$dir/unused.wav
audio_alert		aufile,$dir/unused.wav
module_path		$mods
module			g711.so
module			gsm.so
module			account.so
module			aufile.so
module			sndfile.so
module			ctrl_tcp.so
module			menu.so
snd_path		$dir/snd
ctrl_tcp_listen		127.0.0.1:$ctrl
CONF
echo "<sip:$user@127.0.0.1>;regint=0;audio_codecs=$codecs;answermode=$answer" \
    >"$dir/accounts"
baresip -f "$dir" -t 120 >"$dir/log" 2>&1 &
echo $! >"$dir/pid"
