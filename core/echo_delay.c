/*
 * echo_delay.c: how late one leg's echo comes back in the other (see
 * echo.h), by the generalised cross-correlation of the two legs with the
 * phase transform (GCC-PHAT, Knapp and Carter 1976).
 *
 * Plain cross-correlation of speech peaks broadly and again at every
 * pitch period, and a loud tone (ringing) dominates it. Dividing the
 * cross-spectrum by its magnitude, bin by bin, keeps only the phase, the
 * delay: an echo gives one sharp peak, of whatever voice and spectrum,
 * and a tone counts for two bins of thousands. The cross-spectra of
 * successive blocks are summed before the one inverse transform, so an
 * echo too faint to stand out in one block adds up over the opening.
 */
#include "echo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A transform of FFT_SIZE points takes a block of near samples and the
 * far samples from max lag before it to max lag after it. */
#define FFT_SIZE 16384

/* A block where either leg is quieter than this (-70 dBFS mean power)
 * is digital silence, or close to it: its phase is noise. */
#define QUIET_POWER 1e-7

/* How far the peak must stand over the correlation's spread, in standard
 * deviations, to be taken for an echo. Gaussian noise's largest of 8,000
 * lags lies near 4. Searched from 48 to 500 ms, the replays' 980 stereo
 * renders with no echo there (clean, or echoed 10 to 40 ms late, whose
 * skirts are the worst) peaked at 7.2 at most, and every echo tried, 20
 * or 26 dB down and 60 to 300 ms late, through a telephone band or not,
 * at 25 or more. */
#define FOUND_SIGMAS 10.0

typedef struct fft {
    int n;
    float *cos_t, *sin_t;   /* the twiddles, n / 2 of each */
    int *rev;               /* bit reversal of each index */
} fft;

static void fft_free(fft *f)
{
    free(f->cos_t);
    free(f->sin_t);
    free(f->rev);
}

static int fft_init(fft *f, int n)
{
    int i, bits = 0;

    while ((1 << bits) < n)
        bits++;
    f->n = n;
    f->cos_t = malloc((size_t)n / 2 * sizeof *f->cos_t);
    f->sin_t = malloc((size_t)n / 2 * sizeof *f->sin_t);
    f->rev = malloc((size_t)n * sizeof *f->rev);
    if (!f->cos_t || !f->sin_t || !f->rev) {
        fft_free(f);
        return -1;
    }
    for (i = 0; i < n / 2; i++) {
        f->cos_t[i] = (float)cos(2.0 * M_PI * i / n);
        f->sin_t[i] = (float)-sin(2.0 * M_PI * i / n);
    }
    for (i = 0; i < n; i++) {
        int r = 0, b;
        for (b = 0; b < bits; b++)
            if (i & (1 << b))
                r |= 1 << (bits - 1 - b);
        f->rev[i] = r;
    }
    return 0;
}

/* In place, radix 2; inverse without the 1/n (only a peak is sought). */
static void fft_run(const fft *f, float *re, float *im, int inverse)
{
    int n = f->n, i, len;

    for (i = 0; i < n; i++) {
        int r = f->rev[i];
        if (r > i) {
            float t = re[i];
            re[i] = re[r];
            re[r] = t;
            t = im[i];
            im[i] = im[r];
            im[r] = t;
        }
    }
    for (len = 2; len <= n; len <<= 1) {
        int half = len / 2, step = n / len, start, k;
        for (start = 0; start < n; start += len)
            for (k = 0; k < half; k++) {
                float wr = f->cos_t[k * step];
                float wi = inverse ? -f->sin_t[k * step] : f->sin_t[k * step];
                int a = start + k, b = a + half;
                float tr = re[b] * wr - im[b] * wi;
                float ti = re[b] * wi + im[b] * wr;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
    }
}

static double power(const float *x, size_t n)
{
    double e = 0;
    size_t i;

    for (i = 0; i < n; i++)
        e += (double)x[i] * x[i];
    return n ? e / n : 0;
}

/* The strongest lag in [from, to] of r (indexed by lag + max), and how
 * many standard deviations of r it stands above r's mean. */
static void peak_in(const double *r, int max, int from, int to,
                    double mean, double sd, int *lag, double *sigmas)
{
    int k, best = from;

    for (k = from; k <= to; k++)
        if (r[k + max] > r[best + max])
            best = k;
    *lag = best;
    *sigmas = sd > 0 ? (r[best + max] - mean) / sd : 0.0;
}

int echo_delay_find(const float *a, const float *b, size_t n, int rate,
                    int min_ms, int max_ms, echo_delays *out, ivr_error *err)
{
    int max = (int)((long)rate * max_ms / 1000), block, k, used = 0;
    int min = (int)((long)rate * min_ms / 1000), lags;
    float *re = NULL, *im = NULL;
    double *sum_re = NULL, *sum_im = NULL, *r = NULL, mean = 0, sd = 0;
    fft f;
    long t;

    memset(out, 0, sizeof *out);
    out->in_a = out->in_b = -1;
    block = FFT_SIZE - 2 * max;
    if (rate < 1)
        return ivr_error_set(err, IVR_EUSAGE, "an echo search at %d Hz",
                             rate);
    if (min < 0 || max <= min || block < FFT_SIZE / 4)
        return ivr_error_set(err, IVR_EUSAGE, "an echo search from %d to "
                             "%d ms late at %d Hz is outside 0..%ld ms",
                             min_ms, max_ms, rate,
                             FFT_SIZE * 3 / 8 * 1000L / rate);
    if (fft_init(&f, FFT_SIZE) != 0)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    re = malloc(FFT_SIZE * sizeof *re);
    im = malloc(FFT_SIZE * sizeof *im);
    sum_re = calloc(FFT_SIZE, sizeof *sum_re);
    sum_im = calloc(FFT_SIZE, sizeof *sum_im);
    r = malloc((2 * (size_t)max + 1) * sizeof *r);
    if (!re || !im || !sum_re || !sum_im || !r) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        goto done;
    }
    /* block by block: b's samples [t, t + block), a's from max before to
     * max after, both in one complex transform (a real, b imaginary);
     * from the end back, so that the latest samples count (a live call
     * searches the last seconds it heard) */
    for (t = (long)n - block - max; t >= max; t -= block) {
        const float *as = a + t - max, *bs = b + t;
        if (power(as, (size_t)(block + 2 * max)) < QUIET_POWER ||
            power(bs, (size_t)block) < QUIET_POWER)
            continue;
        memset(im, 0, FFT_SIZE * sizeof *im);
        memcpy(re, as, (size_t)(block + 2 * max) * sizeof *re);
        memcpy(im, bs, (size_t)block * sizeof *im);
        fft_run(&f, re, im, 0);
        for (k = 0; k <= FFT_SIZE / 2; k++) {
            int m = (FFT_SIZE - k) % FFT_SIZE;
            /* the two real transforms, from the one complex */
            double ar = (re[k] + re[m]) / 2, ai = (im[k] - im[m]) / 2;
            double br = (im[k] + im[m]) / 2, bi = (re[m] - re[k]) / 2;
            /* a times b's conjugate, its magnitude divided out */
            double cr = ar * br + ai * bi, ci = ai * br - ar * bi;
            double mag = sqrt(cr * cr + ci * ci);
            if (mag > 0) {
                sum_re[k] += cr / mag;
                sum_im[k] += ci / mag;
            }
        }
        used++;
    }
    if (used == 0)
        goto done;
    for (k = 0; k < FFT_SIZE; k++) {
        int h = k <= FFT_SIZE / 2 ? k : FFT_SIZE - k;
        re[k] = (float)sum_re[h];
        im[k] = (float)(k <= FFT_SIZE / 2 ? sum_im[h] : -sum_im[h]);
    }
    fft_run(&f, re, im, 1);
    /* re[j] sums a[i + j - max] b[i]: b holds a lag = max - j late */
    for (k = -max; k <= max; k++)
        r[k + max] = re[max - k];
    /* the spread of the lags searched, both ways (the legs' common
     * noise, a mix's own voice, peak at 0: not what is sought) */
    lags = 2 * (max - min + 1);
    for (k = min; k <= max; k++)
        mean += r[max + k] + r[max - k];
    mean /= lags;
    for (k = min; k <= max; k++)
        sd += (r[max + k] - mean) * (r[max + k] - mean) +
              (r[max - k] - mean) * (r[max - k] - mean);
    sd = sqrt(sd / lags);
    peak_in(r, max, min, max, mean, sd, &out->in_b, &out->in_b_sigmas);
    peak_in(r, max, -max, -min, mean, sd, &out->in_a, &out->in_a_sigmas);
    out->in_a = -out->in_a;
    out->blocks = used;
    if (out->in_b_sigmas < FOUND_SIGMAS)
        out->in_b = -1;
    if (out->in_a_sigmas < FOUND_SIGMAS)
        out->in_a = -1;
done:
    fft_free(&f);
    free(re);
    free(im);
    free(sum_re);
    free(sum_im);
    free(r);
    return err && err->status ? err->status : IVR_OK;
}

long echo_tail_start(int rate, long late)
{
    long lead = (long)rate * ECHO_LEAD_MS / 1000;

    return late > lead ? late - lead : 0;
}
