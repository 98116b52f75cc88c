#!/bin/sh
# make-set.sh: audio that holds no key tones but has fooled DTMF receivers:
# voices (female and child-like ones especially), sustained and high vowels,
# whistles and tones, and music played by real instrument sound fonts. Made
# from Debian packages only, the same every run (the choices below are
# fixed, and sox's noise is seeded):
#
#   speech   espeak-ng (package espeak-ng: its voice variants, at several
#            pitches and speeds) and flite (package flite: its five voices)
#   vowels   espeak-ng, slow and high: "aaah", "eeee", sung-like
#   tones    sox (package sox): whistle-like sweeps, single-tone tunes,
#            square and sawtooth notes, whose harmonics fall near the keypad
#   music    the General MIDI tunes of planetblupi-music-midi and grooves
#            written here for mma (package mma), rendered by fluidsynth
#            with the FluidR3 (mono) and TimGM6mb sound fonts
#            (fluidr3mono-gm-soundfont, timgm6mb-soundfont)
#
# Everything is brought to the telephone: 8 kHz, 300-3400 Hz, mu-law and
# back, at one of three levels. Sources are split in two halves by name:
# what a receiver is tuned on (OUT/tune) and what it is judged on
# (OUT/test), never the same voice, tune or groove in both.
#
# Talk-down: the keys 1-9, 0, *, # and A-D, 50 to 90 ms each, keyed over
# four voices of each half at 5 and 0 dB above the speech (the power of
# the key's tone pair over the speech's): OUT/HALF/talkdown/NAME-SNR.wav,
# with the keys in NAME-SNR.keys.
#
# A second argument draws another set from the same sources: every voice
# at other pitches and speeds, the prompts and vowels at other pitches, the
# tunes in other keys, the levels turned. 0 (the default) is the set the
# receiver's checks were set on and judged by; another draw is audio no
# one has looked at while tuning (make bench reports draws 1 and 2 beside
# it).
#
#   sh tests/talkoff/make-set.sh OUT [DRAW]
set -eu
[ $# -ge 1 ] || {
    echo "usage: sh tests/talkoff/make-set.sh OUT [DRAW]" >&2
    exit 2
}
out=$1
draw=${2:-0}
# flite's voices in another draw: slower or faster, higher or lower
fl=""
[ "$draw" = 0 ] || fl="--setf duration_stretch=$(awk -v d="$draw" \
    'BEGIN { printf "%.2f", 0.8 + (d * 0.17) % 0.5 }') --setf int_f0_target_mean=$((90 + draw * 47 % 120))"
# sox's noise and dither, the same every run
sox() { command sox -R "$@"; }
mkdir -p "$out/tune" "$out/test" "$out/tmp"
tmp=$out/tmp
n=0

# half NAME: tune or test, by the source's position in its list
half() { if [ $((n % 2)) = 0 ]; then echo tune; else echo test; fi; }

# phone SRC NAME: the telephone version of SRC, at a level by position
phone() {
    h=$(half)
    n=$((n + 1))
    case $(((n + draw) % 3)) in 0) lv=-3 ;; 1) lv=-12 ;; *) lv=-21 ;; esac
    len=${3:-}
    sox "$1" -r 8000 -c 1 -b 16 "$tmp/p.wav" ${len:+trim 0 $len} \
        sinc 300-3400 norm "$lv"
    sox "$tmp/p.wav" -e u-law "$tmp/p.ul.wav"
    sox "$tmp/p.ul.wav" -e signed -b 16 "$out/$h/$2.wav"
}

text1="Thank you for calling. Your call is important to us. Please stay on the line and the next available agent will be with you shortly. Did you know that you can pay your bill online, at any time of the day or night? Just visit our web site and sign in with your account number."
text2="Hello? Hi, yes, I was calling about my order, number four seven one one, from last Tuesday. It still has not arrived, and the tracking page says it left the warehouse nine days ago. Could you check where it is, please? I would really like it before the weekend."
text3="The quick brown fox jumps over the lazy dog, while the five boxing wizards jump quickly. She sells sea shells by the sea shore. Peter Piper picked a peck of pickled peppers. How much wood would a woodchuck chuck, if a woodchuck could chuck wood?"
text4="Oh wow, that is amazing! Really? No way. Yes, yes, yes, I totally agree. Mmm, hmm. Okay, okay. Well, I am not so sure about that one, to be honest. Hey! Come here, look at this! Whee, that was fun. Again, again!"

# speech: espeak-ng variants at several pitches and speeds
i=0
for v in f1 f2 f3 f4 f5 m1 m2 m3 m4 m5 m6 m7 Annie Belinda Linda anika \
         female_whisper grandma shelby Tweaky klatt klatt3 croak Storm; do
    i=$((i + 1))
    p=$(( (i * 37 + draw * 29) % 80 + 20 ))
    s=$(( (i * 53 + draw * 31) % 100 + 120 ))
    eval "t=\$text$(( i % 4 + 1 ))"
    espeak-ng -v "en-us+$v" -p "$p" -s "$s" -w "$tmp/s.wav" "$t"
    phone "$tmp/s.wav" "espeak-$v-p$p-s$s"
done

# an IVR's own prompts: digits said over and over ("press nine"), which a
# mono recording puts on the same line as the caller's keys
text5="For billing, press one. For sales, press two. For technical support, press three. To hear these options again, press nine. For the operator, press zero. To go back, press star. When you are done, press pound. Please enter your account number, followed by the pound key: four, one, two, three, five, six, seven, eight."
for v in f3 f1 m1 Linda m3 Belinda; do
    espeak-ng -v "en-us+$v" -p $((50 + draw * 13 % 40)) -s 165 \
        -w "$tmp/s.wav" "$text5 $text5"
    phone "$tmp/s.wav" "prompts-espeak-$v"
done
for v in rms awb; do
    flite -voice "$v" $fl -t "$text5 $text5" -o "$tmp/s.wav"
    phone "$tmp/s.wav" "prompts-flite-$v"
done

# children and high voices: the highest pitches, fast
for v in f2 f4 Annie anika Tweaky shelby; do
    espeak-ng -v "en-us+$v" -p $((99 - draw * 7 % 30)) -s 190 \
        -w "$tmp/s.wav" "$text4 $text3"
    phone "$tmp/s.wav" "espeak-high-$v"
done

# flite's voices
for v in slt rms awb kal kal16; do
    flite -voice "$v" $fl -t "$text1 $text2" -o "$tmp/s.wav"
    phone "$tmp/s.wav" "flite-$v"
done

# sustained and sung vowels
i=0
for v in f1 f3 f5 m2 Annie grandma; do
    i=$((i + 1))
    espeak-ng -v "en-us+$v" -p $((40 + i * 10 - draw * 5)) -s 80 -w "$tmp/s.wav" \
        "aaaaaaaah. eeeeeeee. ooooooooh. laaa laaa laaa. miii miii miii. ooooo."
    phone "$tmp/s.wav" "vowels-$v"
done

# whistles and tones: sweeps, single-tone tunes, notes with harmonics
sox -n -r 16000 "$tmp/s.wav" synth 20 sine 500-2200 synth 20 sine amod 3
phone "$tmp/s.wav" "tone-sweep-up"
sox -n -r 16000 "$tmp/s.wav" synth 20 sine 2400-400 synth 20 sine amod 5
phone "$tmp/s.wav" "tone-sweep-down"
for shape in sine square sawtooth triangle; do
    f=""
    for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
        # a whistled or played tune: notes of an equal-tempered scale
        note=$(( (k * 7 + ${#shape} * 3 + draw * 5) % 24 ))
        hz=$(awk -v s="$note" -v b="$shape" 'BEGIN {
            base = (b == "sine") ? 880 : 220; printf "%.1f", base * 2 ^ (s / 12) }')
        sox -n -r 16000 "$tmp/n$k.wav" synth 0.4 "$shape" "$hz" fade 0.02 0.4 0.05
        f="$f $tmp/n$k.wav"
    done
    sox $f "$tmp/s.wav"
    phone "$tmp/s.wav" "tone-tune-$shape"
done

# music: General MIDI tunes, and grooves for mma
fluid=/usr/share/sounds/sf3/FluidR3Mono_GM.sf3
timgm=/usr/share/sounds/sf2/TimGM6mb.sf2
i=0
for mid in /usr/share/planetblupi/music/*.mid; do
    i=$((i + 1))
    # each half gets tunes in both sound fonts
    if [ $((i / 2 % 2)) = 0 ]; then sf=$fluid; else sf=$timgm; fi
    fluidsynth -ni -F "$tmp/s.wav" -r 16000 "$sf" "$mid" >/dev/null 2>&1
    phone "$tmp/s.wav" "midi-$(basename "$mid" .mid)-$(basename "$sf" |
                                                   sed 's/[_.].*//')" 90
done
for groove in Bossanova Swing 50sRock Waltz Rhumba BigBand Bluegrass Ballad \
              Dixie Tango Charleston Polka; do
    cat >"$tmp/g.mma" <<MMA
Tempo 116
Groove $groove
Repeat
1 C
2 Am
3 Dm7
4 G7
5 Em7
6 A7
7 Dm7
8 G7
RepeatEnd 3
MMA
    mma -f "$tmp/g.mid" "$tmp/g.mma" >/dev/null 2>&1
    fluidsynth -ni -F "$tmp/s.wav" -r 16000 "$fluid" "$tmp/g.mid" \
        >/dev/null 2>&1
    phone "$tmp/s.wav" "mma-$groove" 60
done
# talk-down: keys over speech
. "$(dirname "$0")/keypad.sh"
mkdir -p "$tmp"
parts=""
k=0
while [ $k -lt 16 ]; do
    key=$(echo "$keys" | cut -c$((k + 1)))
    set -- $(tone "$key")
    on=$(awk -v k=$k 'BEGIN { printf "%.3f", 0.05 + (k * 7 % 5) * 0.01 }')
    # each tone at amplitude 0.2: the pair's power is -14 dB full scale
    sox -n -r 8000 -b 16 "$tmp/k$k.wav" synth "$on" sine "$1" sine "$2" \
        remix 1v0.2,2v0.2 pad 0.3 0.3
    parts="$parts $tmp/k$k.wav"
    k=$((k + 1))
done
sox $parts "$tmp/keys.wav"
len=$(soxi -D "$tmp/keys.wav")
for h in tune test; do
    mkdir -p "$out/$h/talkdown"
    for f in $(ls "$out/$h"/espeak-*.wav "$out/$h"/flite-*.wav | head -n 4); do
        name=$(basename "$f" .wav)
        sox "$f" "$tmp/sp.wav" trim 0 "$len"
        level=$(sox "$tmp/sp.wav" -n stats 2>&1 | awk '/RMS lev dB/ { print $4 }')
        for snr in 5 0; do
            gain=$(awk -v l="$level" -v s="$snr" 'BEGIN { printf "%.2f", -14 - s - l }')
            sox "$tmp/sp.wav" "$tmp/sp-g.wav" gain "$gain"
            sox -m "$tmp/keys.wav" "$tmp/sp-g.wav" \
                "$out/$h/talkdown/$name-$snr.wav"
            echo "$keys" >"$out/$h/talkdown/$name-$snr.keys"
        done
    done
done
rm -rf "$tmp"
