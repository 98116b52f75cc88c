/*
 * ivr-tts: speak text into a sound file with flite. See ivr-tts(1).
 *
 * Uses only the public headers of core/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cli.h"
#include "tts.h"

#define MAX_TEXT (1 << 20)

static const char usage_text[] =
    "Usage: ivr-tts [OPTION]... [TEXT]... -o FILE\n"
    "       ivr-tts [OPTION]... [TEXT]... --play\n"
    "Speak TEXT (or standard input) with flite into a sound file, or to the\n"
    "speaker.\n"
    "\n"
    "  -o, --output FILE      write here ('-' is standard output)\n"
    "  -p, --play             play it on the speaker\n"
    "  -d, --device NAME      the output device for --play (a name, part of\n"
    "                         one, or a number from --list-devices)\n"
    "      --list-devices     list the sound devices and exit\n"
    "  -f, --force            replace FILE if it exists\n"
    "      --voice NAME       a voice from --list-voices, or a .flitevox "
    "file (slt)\n"
    "  -r, --rate HZ          sample rate (8000, the telephone rate)\n"
    "  -e, --encoding ENC     s16, s24, s32, f32, ulaw, alaw, u8 (s16)\n"
    "      --speed X          speaking rate, 0.25 to 4 (1)\n"
    "      --list-voices      list the voices and exit\n"
    "      --cache-dir DIR    keep the prompt cache here\n"
    "      --no-cache         neither read nor write the prompt cache\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "\n"
    "The prompt cache is $XDG_CACHE_HOME/ivrkit/tts (or "
    "~/.cache/ivrkit/tts).\n"
    "Exit status: 0 ok, 2 usage, 3 bad input, 4 no sound device, 5 cannot\n"
    "write, 6 internal error.\n";

enum {
    OPT_LIST = 256, OPT_CACHE_DIR, OPT_NO_CACHE, OPT_LIST_DEVICES, OPT_VOICE,
    OPT_SPEED
};

static int list_voices(void)
{
    const char *const *v;

    for (v = tts_voice_names(); *v; v++)
        printf("%-10s %s\n", *v, tts_voice_description(*v));
    return IVR_OK;
}

/* Synthesises text into *samples (ours to free) at *rate. */
static int speak(tts_engine *t, const char *text, float **samples,
                 size_t *n, long *rate)
{
    const char *warning;
    ivr_error err;
    int status = tts_speak(t, text, samples, n, NULL, &err);

    if ((warning = tts_warning(t)))
        cli_warn("%s", warning);
    *rate = tts_rate(t);
    return status == IVR_OK ? IVR_OK : cli_report(&err);
}

/* Writes the prompt to output, whole or not at all (Ctrl-C). */
static int write_prompt(const char *output, const float *samples, size_t n,
                        long rate, audio_encoding enc, int force)
{
    ivr_error err;
    audio_writer *w = audio_writer_open(output, (int)rate, 1, enc, force,
                                        &err);

    if (!w)
        return cli_report(&err);
    return cli_finish_output(w, output, audio_writer_write(w, samples, n,
                                                           &err), &err);
}

static const struct option long_opts[] = {
    {"output", required_argument, 0, 'o'},
    {"play", no_argument, 0, 'p'},
    {"device", required_argument, 0, 'd'},
    {"list-devices", no_argument, 0, OPT_LIST_DEVICES},
    {"force", no_argument, 0, 'f'},
    {"voice", required_argument, 0, OPT_VOICE},
    {"rate", required_argument, 0, 'r'},
    {"encoding", required_argument, 0, 'e'},
    {"speed", required_argument, 0, OPT_SPEED},
    {"list-voices", no_argument, 0, OPT_LIST},
    {"cache-dir", required_argument, 0, OPT_CACHE_DIR},
    {"no-cache", no_argument, 0, OPT_NO_CACHE},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0}};

int main(int argc, char **argv)
{
    tts_opts to = {0};
    const char *output = NULL, *device = NULL, *warning;
    audio_encoding enc = AUDIO_ENC_PCM16;
    int c, force = 0, play = 0, status = IVR_OK;
    long rate = TTS_DEFAULT_RATE;
    char *text;
    float *samples = NULL;
    size_t n = 0;
    tts_engine *t;
    ivr_error err;

    cli_init(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:pd:fr:e:hV", long_opts, NULL)) !=
           -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'p': play = 1; break;
        case 'd': device = optarg; break;
        case OPT_LIST_DEVICES: return cli_list_devices();
        case 'f': force = 1; break;
        case OPT_VOICE: to.voice = optarg; break;
        case 'r':
            status = cli_parse_int("--rate", optarg, AUDIO_RATE_MIN,
                                   AUDIO_RATE_MAX, &rate);
            break;
        case 'e':
            status = cli_parse_encoding("--encoding", optarg, &enc);
            break;
        case OPT_SPEED:
            status = cli_parse_double("--speed", optarg, 0.25, 4, &to.speed);
            break;
        case OPT_LIST: return list_voices();
        case OPT_CACHE_DIR: to.cache_dir = optarg; break;
        case OPT_NO_CACHE: to.cache_dir = ""; break;
        case 'h': fputs(usage_text, stdout); return IVR_OK;
        case 'V': cli_print_version(); return IVR_OK;
        default: return cli_bad_option(c, argv);
        }
        if (status != IVR_OK)
            return status;
    }
    if (!(play && !output) && cli_check_audio_output("", output) != IVR_OK)
        return IVR_EUSAGE;
    to.rate = (int)rate;
    cli_catch_interrupts();
    /* a voice that is not there is said before standard input is read */
    if (!(t = tts_new(&to, &err)))
        return cli_report(&err);
    if ((warning = tts_warning(t)))
        cli_warn("%s", warning);
    if (!(text = cli_gather_text(argc, argv, optind, MAX_TEXT))) {
        status = IVR_EINTERNAL;
        cli_error("out of memory");
    } else if (optind >= argc && text[strspn(text, " \t\r\n")] == '\0') {
        status = IVR_EINPUT;
        cli_error("nothing to say: standard input is empty");
    } else {
        status = speak(t, text, &samples, &n, &rate);
    }
    free(text);
    tts_free(t);
    if (status == IVR_OK && play)
        status = cli_play(samples, n, (int)rate, device);
    if (status == IVR_OK && output)
        status = write_prompt(output, samples, n, rate, enc, force);
    free(samples);
    return status;
}
