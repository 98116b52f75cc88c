#!/bin/sh
# music.sh: real music with no key in it, for the talk-off tests beside
# make-set.sh's General MIDI tunes: the soundtracks of games packaged by
# Debian, recorded and produced as music is (strings, synthesizers, piano,
# guitar, drums), brought to the telephone as make-set.sh brings its
# sources (8 kHz, 300-3400 Hz, mu-law and back, one of three levels):
#
#   OUT/tune   drascula-music (47 min) and hyperrogue-music (23 min):
#              the receiver's music check was set while tracing these
#   OUT/test   xmoto-data, extremetuxracer-data and lincity-ng-data's
#              music (30 min), kept out of it, and the eight rock songs
#              of the fretsonfire-songs packages, backing and lead guitar
#              mixed (27 min), found after the row-octave check was set
#
#   sh tests/talkoff/music.sh OUT
set -eu
[ $# -ge 1 ] || {
    echo "usage: sh tests/talkoff/music.sh OUT" >&2
    exit 2
}
out=$1
mkdir -p "$out/tune" "$out/test"
sox() { command sox -R "$@"; }

# checked here, not in the pipe below, where exit would leave a subshell
for p in drascula-music hyperrogue-music xmoto-data extremetuxracer-data \
         lincity-ng-data fretsonfire-songs-muldjord \
         fretsonfire-songs-sectoid; do
    dpkg -L "$p" >/dev/null 2>&1 || {
        echo "music.sh: package $p missing (make deps)" >&2
        exit 4
    }
done

tracks() {  # HALF PACKAGE...: every .ogg of the packages' music folders
    half=$1
    shift
    for p in "$@"; do
        dpkg -L "$p" | grep -iE '/(audio|music|musics)/.*\.ogg$' |
            LC_ALL=C sort | sed "s|^|$half |"
    done
}

songs() {  # HALF PACKAGE...: every song's folder (a song is mixed)
    half=$1
    shift
    for p in "$@"; do
        dpkg -L "$p" | sed -n 's|/song\.ogg$||p' | LC_ALL=C sort |
            sed "s|^|$half |"
    done
}

n=0
{ tracks tune drascula-music hyperrogue-music
  tracks test xmoto-data extremetuxracer-data lincity-ng-data
  songs test fretsonfire-songs-muldjord fretsonfire-songs-sectoid; } |
while read -r half f; do
    n=$((n + 1))
    case $((n % 3)) in 0) lv=-3 ;; 1) lv=-12 ;; *) lv=-21 ;; esac
    # a song's folder: its backing and lead guitar, mixed
    if [ -d "$f" ]; then
        set -- -m "$f/song.ogg" "$f/guitar.ogg"
    else
        set -- "$f"
    fi
    sox "$@" -r 8000 -c 1 -b 16 "$out/p.wav" sinc 300-3400 norm "$lv" \
        2>/dev/null
    sox "$out/p.wav" -e u-law "$out/p.ul.wav"
    sox "$out/p.ul.wav" -e signed -b 16 "$out/$half/$n.wav"
done
rm -f "$out/p.wav" "$out/p.ul.wav"
