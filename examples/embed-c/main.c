/* An embedding example in C99 (docs/embedding.md): open a pipeline and a store, submit raw messages, and
 * print what each became, one JSON object a line. Exit status: 0 when every message was read; 1 when one
 * could not be read or failed; 2 for a wrong command line or an engine that cannot be opened.
 *
 *   tandem_embed_c PIPELINE.yaml STORE.db MESSAGE.eml...
 */
#include <stdio.h>
#include <stdlib.h>

#include "tandem/tandem.h"

static char* read_all(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf = NULL;
  size_t cap = 0;
  *len = 0;
  if (f == NULL) return NULL;
  for (;;) {
    if (*len == cap) {
      size_t bigger = cap == 0 ? 65536 : cap * 2;
      char* p = (char*)realloc(buf, bigger);
      if (p == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = p;
      cap = bigger;
    }
    size_t n = fread(buf + *len, 1, cap - *len, f);
    *len += n;
    if (n == 0) break;
  }
  fclose(f);
  return buf;
}

int main(int argc, char** argv) {
  tandem_engine* engine = NULL;
  char* error = NULL;
  uint64_t* tickets = NULL;
  int i, bad = 0;
  if (argc < 4) {
    fprintf(stderr, "usage: %s PIPELINE.yaml STORE.db MESSAGE.eml...\n", argv[0]);
    return 2;
  }
  printf("{\"tandem\":\"%s\"}\n", tandem_version());
  if (tandem_engine_open(argv[1], argv[2], 2, &engine, &error) != TANDEM_OK) {
    fprintf(stderr, "cannot open the engine: %s\n", error != NULL ? error : "?");
    tandem_free(error);
    return 2;
  }
  tickets = (uint64_t*)calloc((size_t)argc, sizeof *tickets);
  if (tickets == NULL) return 2;
  for (i = 3; i < argc; ++i) {
    size_t len = 0;
    char* raw = read_all(argv[i], &len);
    if (raw == NULL) {
      fprintf(stderr, "%s: cannot read the file\n", argv[i]);
      bad = 1;
      continue;
    }
    if (tandem_submit(engine, raw, len, &tickets[i], &error) != TANDEM_OK) {
      fprintf(stderr, "%s: %s\n", argv[i], error);
      tandem_free(error);
      error = NULL;
      bad = 1;
    }
    free(raw); /* tandem kept a copy */
  }
  for (i = 3; i < argc; ++i) {
    tandem_result* result = NULL;
    tandem_status s;
    if (tickets[i] == 0) continue;
    s = tandem_wait(engine, tickets[i], 30000, &result, &error);
    if (s != TANDEM_OK) {
      fprintf(stderr, "%s: %s: %s\n", argv[i], tandem_status_name(s), error != NULL ? error : "no result in 30 s");
      tandem_free(error);
      error = NULL;
      bad = 1;
      continue;
    }
    printf("%s\n", tandem_result_json(result));
    if (tandem_result_state(result) == TANDEM_MESSAGE_FAILED || tandem_result_state(result) == TANDEM_MESSAGE_UNREADABLE)
      bad = 1;
    tandem_result_free(result);
  }
  free(tickets);
  tandem_engine_close(engine);
  return bad;
}
