/* fuzz_script.c: the call-script parser. */
#include "fuzz_io.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ivr_error err;
    call_script *s = script_load(fuzz_file(data, size, ".call"), &err);

    script_free(s);
    return 0;
}
