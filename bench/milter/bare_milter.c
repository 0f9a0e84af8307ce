/* The baseline of bench/milter/run.sh: a milter on libmilter that makes the same protocol decisions as
 * tandem's (tandem/milter.hpp) and does no work of its own. It declares the same callbacks and the same
 * action (add a header); a message with no envelope recipient and no To/Cc header naming the assistant is
 * accepted after its headers; any other message has its body read and gets "X-Bench-Milter: seen" at the
 * end. What tandem's milter adds over this is tandem's work: reading the mail, the pipeline, the case store.
 *
 *   tandem_bench_bare_milter inet:PORT@127.0.0.1 ASSISTANT_ADDRESS
 * Runs until SIGTERM or SIGINT (libmilter stops its loop on either). */
#include <libmilter/mfapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char* g_assistant;

/* Per message: whether it is the assistant's, and the body size (read, then dropped, as a filter would). */
struct message {
  int addressed;
  size_t body_bytes;
};

static struct message* state(SMFICTX* ctx) {
  struct message* m = smfi_getpriv(ctx);
  if (m == NULL) {
    m = calloc(1, sizeof *m);
    if (m != NULL) smfi_setpriv(ctx, m);
  }
  return m;
}

static void forget(SMFICTX* ctx) {
  free(smfi_getpriv(ctx));
  smfi_setpriv(ctx, NULL);
}

/* Whether `text` (an address list or "<addr>") names the assistant: a case-insensitive match bounded by
 * characters that cannot be part of an address. */
static int names_assistant(const char* text) {
  const size_t n = strlen(g_assistant);
  for (const char* p = text; *p != '\0'; ++p) {
    if (strncasecmp(p, g_assistant, n) != 0) continue;
    const char before = p == text ? ' ' : p[-1];
    const char after = p[n];
    if (strchr(" <,:;\t\"", before) != NULL && (after == '\0' || strchr(" >,;\t\"\r\n", after) != NULL)) return 1;
  }
  return 0;
}

static sfsistat on_envfrom(SMFICTX* ctx, char** argv) {
  (void)argv;
  struct message* m = state(ctx);
  if (m == NULL) return SMFIS_ACCEPT;
  memset(m, 0, sizeof *m);
  return SMFIS_CONTINUE;
}

static sfsistat on_envrcpt(SMFICTX* ctx, char** argv) {
  struct message* m = state(ctx);
  if (m == NULL) return SMFIS_ACCEPT;
  if (argv[0] != NULL && names_assistant(argv[0])) m->addressed = 1;
  return SMFIS_CONTINUE;
}

static sfsistat on_header(SMFICTX* ctx, char* name, char* value) {
  struct message* m = state(ctx);
  if (m == NULL) return SMFIS_ACCEPT;
  if ((strcasecmp(name, "To") == 0 || strcasecmp(name, "Cc") == 0) && names_assistant(value)) m->addressed = 1;
  return SMFIS_CONTINUE;
}

static sfsistat on_eoh(SMFICTX* ctx) {
  struct message* m = state(ctx);
  return m == NULL || !m->addressed ? SMFIS_ACCEPT : SMFIS_CONTINUE;
}

static sfsistat on_body(SMFICTX* ctx, unsigned char* chunk, size_t len) {
  (void)chunk;
  struct message* m = state(ctx);
  if (m == NULL) return SMFIS_ACCEPT;
  m->body_bytes += len;
  return SMFIS_CONTINUE;
}

static sfsistat on_eom(SMFICTX* ctx) {
  smfi_addheader(ctx, "X-Bench-Milter", "seen");
  return SMFIS_ACCEPT;
}

static sfsistat on_close(SMFICTX* ctx) {
  forget(ctx);
  return SMFIS_CONTINUE;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s inet:PORT@127.0.0.1 ASSISTANT_ADDRESS\n", argv[0]);
    return 2;
  }
  g_assistant = argv[2];
  static char name[] = "bench-bare";
  struct smfiDesc desc;
  memset(&desc, 0, sizeof desc);
  desc.xxfi_name = name;
  desc.xxfi_version = SMFI_VERSION;
  desc.xxfi_flags = SMFIF_ADDHDRS;
  desc.xxfi_envfrom = on_envfrom;
  desc.xxfi_envrcpt = on_envrcpt;
  desc.xxfi_header = on_header;
  desc.xxfi_eoh = on_eoh;
  desc.xxfi_body = on_body;
  desc.xxfi_eom = on_eom;
  desc.xxfi_close = on_close;
  if (smfi_setconn(argv[1]) == MI_FAILURE || smfi_register(desc) == MI_FAILURE || smfi_opensocket(1) == MI_FAILURE) {
    fprintf(stderr, "%s: cannot listen on %s\n", argv[0], argv[1]);
    return 1;
  }
  return smfi_main() == MI_SUCCESS ? 0 : 1;
}
