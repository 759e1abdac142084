/* A C host: scores a round folder, previews one assessment, feeds a closed handle.
 * Built and run by scripts/test-bindings.sh:
 *   cc -I crates/parindex-ffi/include crates/parindex-ffi/examples/smoke.c -L target/debug -lparindex_ffi
 * Prints the results document to stdout; exits 0 when every check holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parindex.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n);
  *len = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: smoke ROUND_DIR ASSESSMENT.json\n");
    return 2;
  }
  int bad = 0;
  ParindexResult r = parindex_score_path((const uint8_t *)argv[1], strlen(argv[1]));
  if (r.status != PARINDEX_STATUS_OK) {
    fprintf(stderr, "score: %s\n", (const char *)r.json);
    bad = 1;
  } else {
    fwrite(r.json + r.value_offset, 1, r.value_len, stdout);
  }
  parindex_result_free(&r);
  parindex_result_free(&r); /* harmless */

  uint64_t handle = 0;
  r = parindex_round_open_path((const uint8_t *)argv[1], strlen(argv[1]), &handle);
  bad |= r.status != PARINDEX_STATUS_OK || handle == 0;
  parindex_result_free(&r);
  size_t len = 0;
  char *assessment = slurp(argv[2], &len);
  r = parindex_round_score_unit(handle, (const uint8_t *)assessment, len);
  bad |= r.status != PARINDEX_STATUS_OK || strstr((const char *)r.json, "\"rank\": null") == NULL;
  parindex_result_free(&r);
  r = parindex_round_close(handle);
  parindex_result_free(&r);
  r = parindex_round_score_unit(handle, (const uint8_t *)assessment, len);
  bad |= r.status != PARINDEX_STATUS_BAD_HANDLE;
  parindex_result_free(&r);
  r = parindex_score_bundle(NULL, 0);
  bad |= r.status != PARINDEX_STATUS_BAD_ARGUMENT;
  parindex_result_free(&r);
  free(assessment);
  fprintf(stderr, "c: parindex %s, %s\n", parindex_version(), bad ? "FAILED" : "ok");
  return bad;
}
