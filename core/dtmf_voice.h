/*
 * dtmf_voice.h: is a candidate tone pair two partials of one voice?
 * (internal to core/dtmf)
 */
#ifndef IVR_DTMF_VOICE_H
#define IVR_DTMF_VOICE_H

/* The analysis window the test reads samples through: n Hann weights. */
void dtmf_voice_window(float *hann, int n);

/* When the measured row and column frequencies f_row and f_col (Hz) are
 * two harmonics of one fundamental a voice can have, returns the power of
 * the strongest other harmonic of it over x (n samples at rate, weighted
 * by hann), in dB relative to weaker_power (the weaker tone's power, in
 * the units of audio_dbm0_to_power); otherwise -HUGE_VAL. key_ratio is
 * the nominal column over row frequency of the key the pair would be. */
double dtmf_voice_harmonic_db(const float *x, const float *hann, int n,
                              int rate, double f_row, double f_col,
                              double key_ratio, double weaker_power);

/* The power at twice the measured column frequency f_col over x (as
 * above), in dB relative to weaker_power: an instrument's note has its
 * octave above it, a keypad's tone nothing (see dtmf_voice.c). -HUGE_VAL
 * when rate cannot carry the octave. */
double dtmf_voice_overtone_db(const float *x, const float *hann, int n,
                              int rate, double f_col, double weaker_power);

/* The tone at twice the measured row frequency f_row over x, with the
 * column tone (measured at f_col, at most 71 Hz from the row's octave for
 * the rows 697 to 852 Hz) taken out of it: its complex amplitude, phase at
 * the window's first sample, in *re and *im. Returns its power (in the
 * units of audio_dbm0_to_power), 0 when rate cannot carry it. */
double dtmf_voice_row_octave(const float *x, const float *hann, int n,
                             int rate, double f_row, double f_col,
                             double *re, double *im);

#endif
