/* asr_mllr.h: internal to core/asr: the telephone-band transform, the
 * lines of sphinxtrain's mllr_solve output, NULL-terminated (made by
 * bench/adapt-8k.sh; one string a line keeps each literal short). */
#ifndef IVR_ASR_MLLR_H
#define IVR_ASR_MLLR_H

extern const char *const asr_mllr_8k[];

#endif
