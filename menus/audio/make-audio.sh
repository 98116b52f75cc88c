#!/bin/sh
# make-audio.sh: how the music samples of the tunes menu were made (kept so
# they can be made again; the WAVs are committed, nothing runs this at build
# or test time). Needs sox. Synthetic plucked-string tunes, 8 kHz mu-law,
# as an IVR stores its messages.
set -eu
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

tune() {  # tune OUT NOTE...: a note every 0.35 s over a low drone
    out=$1; shift
    i=0
    for n in "$@"; do
        sox -n -r 8000 -c 1 "$t/n$i.wav" synth 0.35 pluck "$n" fade 0 0.35 0.1
        i=$((i + 1))
    done
    sox "$t"/n*.wav "$t/melody.wav"
    len=$(soxi -D "$t/melody.wav")
    sox -n -r 8000 -c 1 "$t/drone.wav" synth "$len" sine "${DRONE}" vol 0.15
    sox -m "$t/melody.wav" "$t/drone.wav" -e u-law "$out" norm -3
    rm -f "$t"/n*.wav
}
DRONE=A2 tune night-drive.wav A3 C4 E4 A4 G4 E4 C4 D4 E4 G4 A4 E4 C4 A3 \
    C4 E4 G4 E4 D4 C4 A3
DRONE=D3 tune low-tide.wav D4 F4 A4 D5 C5 A4 F4 G4 A4 C5 D5 A4 F4 D4 F4 \
    A4 G4 F4 E4 D4 D4

# library.ivr's Spanish prompts: Debian's flite voices speak English only,
# so a menu's other languages are recordings. These are espeak-ng's
# Spanish voice (package espeak-ng), 8 kHz mu-law as a PBX keeps prompts;
# a real IVR would have a person record them.
mkdir -p es
spanish() {  # spanish OUT "text"
    espeak-ng -v es -s 150 -w "$t/es.wav" "$2"
    sox "$t/es.wav" -r 8000 -c 1 -e u-law "es/$1" norm -3
}
spanish bienvenida.wav "Para español, oprima dos."
spanish principal.wav "Para renovar un libro, oprima uno. Para nuestro horario, oprima dos. Para hablar con un bibliotecario, oprima cero."
spanish tarjeta.wav "Por favor, marque el número de su tarjeta de biblioteca, seguido de la tecla numeral."
spanish renovados.wav "Sus libros quedan renovados por tres semanas. Adiós."
spanish horario.wav "Abrimos de lunes a viernes, de nueve de la mañana a ocho de la noche, y los sábados de diez a cinco. Adiós."
spanish invalida.wav "Ese número de tarjeta no es válido."
