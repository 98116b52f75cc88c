/* fuzz_audio.c: audio headers and samples, read at the engine's rate as
 * ivr-sim reads a recording, and at the file's own. */
#include "fuzz_io.h"
#include "audio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".wav");
    static const int rates[] = {8000, 0};
    float buf[4096];
    int k;

    for (k = 0; k < 2; k++) {
        audio_read_opts o;
        ivr_error err;
        audio_reader *r;
        long got, total = 0;
        memset(&o, 0, sizeof o);
        o.rate = rates[k];
        if (!(r = audio_reader_open(path, &o, &err)))
            continue;
        /* a bound: a header may promise hours */
        while ((got = audio_reader_read(r, buf, 4096, &err)) > 0 &&
               total < 1000000)
            total += got;
        audio_reader_close(r);
    }
    return 0;
}
