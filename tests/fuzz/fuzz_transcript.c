/* fuzz_transcript.c: the reader of saved transcripts (--events). */
#include "fuzz_io.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    call_log log = {0};
    ivr_error err;
    char line[1024];
    int i;

    call_log_read_jsonl(&log, fuzz_file(data, size, ".jsonl"), &err);
    for (i = 0; i < log.n; i++)
        call_log_format(&log.ev[i], line, sizeof line);
    call_log_clear(&log);
    return 0;
}
