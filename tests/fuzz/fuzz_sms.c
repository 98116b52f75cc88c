/* fuzz_sms.c: numbers, text encodings and part counts, coupon serials. */
#include "fuzz_io.h"
#include "coupon.h"
#include "sms.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size), num[SMS_NUMBER_MAX];
    char serial[COUPON_SERIAL_MAX], again[COUPON_SERIAL_MAX];
    sms_encoding e;
    ivr_error err;

    sms_number(s, num, &err);
    if (sms_encoding_of(s, &e, &err) == IVR_OK &&
        (e.parts < 1 || e.units < 0))
        abort();
    sms_check("+15550104477", s, s, s, &e, &err);
    utf8_text_check(s);
    if (coupon_normalise(s, serial) && !coupon_normalise(serial, again))
        abort();   /* a serial taken once is taken again */
    free(s);
    return 0;
}
