#!/bin/sh
# adapt-8k.sh: makes core/asr_mllr_8k.c, the MLLR transform that adapts
# Debian's en-us model to telephone speech as core/asr.c presents it
# (8 kHz band, resampled to 16 kHz, noise floor). Run by hand when the
# front-end changes; the build only compiles the result.
#
# Data: the prompts of asterisk-core-sounds-en-wav (a human voice recorded
# at 8 kHz, 22 minutes) whose every word is in the dictionary, with the
# transcripts Debian ships. None of it is used by the benchmark's menus.
# Needs: make, sphinxtrain, sphinxbase-utils, asterisk-core-sounds-en-wav.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
M=/usr/share/pocketsphinx/model/en-us
SOUNDS=/usr/share/asterisk/sounds/en
ST=/usr/lib/sphinxtrain
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
mkdir wav mfc hmm

cc -O2 -o sendump2mixw "$top/bench/sendump2mixw.c" -lm
cc -O2 -std=c11 -D_XOPEN_SOURCE=700 -I"$top/core" -o frontend \
    "$top/bench/asr_frontend.c" "$B/libivr.a" -lsndfile -lsamplerate -lm

# transcripts: "name: Text." lines; keep top-level prompts fully in the dict
cut -d' ' -f1 "$M/cmudict-en-us.dict" | sort -u >words
zcat /usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz |
    grep -v '^;' | grep ':' | while IFS= read -r line; do
    name=${line%%:*}
    text=$(printf '%s' "${line#*:}" | tr 'A-Z-' 'a-z ' | tr -c "a-z' \n" ' ' |
           tr -s ' ' | sed 's/^ //; s/ $//')
    case "$name" in */*) continue ;; esac
    [ -f "$SOUNDS/$name.wav" ] && [ -n "$text" ] || continue
    missing=$(printf '%s\n' $text | sort -u | comm -23 - words)
    [ -z "$missing" ] || continue
    echo "$name" >>adapt.fileids
    echo "<s> $text </s> ($name)" >>adapt.transcription
    echo "$SOUNDS/$name.wav wav/$name.wav" >>pairs
done
echo "adapt-8k: $(wc -l <adapt.fileids) prompts"
./frontend $(cat pairs)

sphinx_fe -argfile "$M/en-us/feat.params" -samprate 16000 -c adapt.fileids \
    -di wav -do mfc -ei wav -eo mfc -mswav yes >fe.log 2>&1
pocketsphinx_mdef_convert -text "$M/en-us/mdef" hmm/mdef.txt >/dev/null 2>&1
./sendump2mixw "$M/en-us/sendump" hmm/mixture_weights
for f in means variances transition_matrices feat.params noisedict; do
    ln -s "$M/en-us/$f" hmm/$f
done
# two passes: the second aligns the prompts with the first transform
# applied, which the human digits and the held-out menu both reward (a third
# pass changes nothing measurable)
mllr=""
for pass in 1 2; do
    rm -rf acc && mkdir acc
    "$ST/bw" -hmmdir hmm -moddeffn hmm/mdef.txt -ts2cbfn .ptm. \
        -feat 1s_c_d_dd -svspec 0-12/13-25/26-38 -cmn batch -agc none \
        -dictfn "$M/cmudict-en-us.dict" -fdictfn "$M/en-us/noisedict" \
        -ctlfn adapt.fileids -lsnfn adapt.transcription \
        -cepdir mfc -cepext mfc -accumdir acc $mllr >bw$pass.log 2>&1
    echo "adapt-8k: pass $pass: $(grep -c 'ignored' bw$pass.log || true)" \
         "prompts not aligned"
    "$ST/mllr_solve" -meanfn hmm/means -varfn hmm/variances \
        -outmllrfn mllr_matrix$pass -accumdir acc >mllr$pass.log 2>&1
    mllr="-mllrmat mllr_matrix$pass"
done
cp mllr_matrix2 mllr_matrix

{
    echo "/* asr_mllr_8k.c: made by bench/adapt-8k.sh; do not edit."
    echo " * A global MLLR transform (means and variances) of Debian's en-us"
    echo " * model for telephone-band speech; see core/asr.c. */"
    echo "#include \"asr_mllr.h\""
    echo
    echo "const char *const asr_mllr_8k[] = {"
    sed 's/ *$//; s/.*/    "&",/' mllr_matrix
    echo "    0};"
} >"$top/core/asr_mllr_8k.c"
echo "adapt-8k: wrote core/asr_mllr_8k.c"
