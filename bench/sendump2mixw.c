/*
 * sendump2mixw: pocketsphinx's 8-bit sendump back to the float
 * mixture_weights file that sphinxtrain's bw needs (Debian's en-us model
 * ships only the sendump).
 *
 * The sendump holds, after a header of strings, for each feature stream and
 * codeword one byte per senone: -log(p) in logmath base 1.0001 shifted
 * right by 10 bits (pocketsphinx's SENSCR_SHIFT). Each senone's weights are
 * renormalised after the round trip.
 *
 *   sendump2mixw SENDUMP MIXTURE_WEIGHTS
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb"), *o = fopen(argv[2], "wb");
  int32_t n, r, c, nfeat = 3; char line[1000];
  if (!f || !o) return 1;
  fread(&n, 4, 1, f); fread(line, 1, n, f);
  fread(&n, 4, 1, f); fread(line, 1, n, f);
  for (;;) { fread(&n, 4, 1, f); if (!n) break; fread(line, 1, n, f);
    if (!strncmp(line, "feature_count ", 14)) nfeat = atoi(line + 14); }
  fread(&r, 4, 1, f); fread(&c, 4, 1, f);
  fprintf(stderr, "feat %d codewords %d senones %d\n", nfeat, r, c);
  unsigned char *q = malloc((size_t)nfeat * r * c);
  if (fread(q, 1, (size_t)nfeat * r * c, f) != (size_t)nfeat * r * c) return 2;
  fprintf(o, "s3\nversion 1.0\nendhdr\n");
  uint32_t magic = 0x11223344; fwrite(&magic, 4, 1, o);
  int32_t hdr[4] = {c, nfeat, r, c * nfeat * r}; fwrite(hdr, 4, 4, o);
  double step = 1024.0 * log(1.0001);
  float *pdf = malloc(sizeof(float) * r);
  for (int s = 0; s < c; s++)
    for (int ft = 0; ft < nfeat; ft++) {
      double sum = 0;
      for (int k = 0; k < r; k++) { pdf[k] = (float)exp(-step * q[((size_t)ft * r + k) * c + s]); sum += pdf[k]; }
      for (int k = 0; k < r; k++) pdf[k] = (float)(pdf[k] / sum);
      fwrite(pdf, sizeof(float), r, o);
    }
  fclose(o); return 0;
}
