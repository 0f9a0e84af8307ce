/* tandem — the C API, for mail servers and programs in any language with a C FFI (docs/embedding.md).
 *
 *   tandem_engine* engine = NULL;
 *   char* error = NULL;
 *   if (tandem_engine_open("config/default.yaml", "var/tandem.db", 2, &engine, &error) != TANDEM_OK) {
 *     fprintf(stderr, "%s\n", error); tandem_free(error); return 1;
 *   }
 *   uint64_t ticket = 0;
 *   tandem_submit(engine, raw, raw_len, &ticket, &error);          (copies raw; returns at once)
 *   tandem_result* result = NULL;
 *   if (tandem_wait(engine, ticket, 5000, &result, &error) == TANDEM_OK) {
 *     puts(tandem_result_json(result));                             (case id, annotations, tasks asked)
 *     tandem_result_free(result);
 *   }
 *   tandem_engine_close(engine);
 *
 * A submitted message is read (MIME, the reply, the thread, the sender), run through the pipeline and,
 * when a store was given, routed: what the models were unsure of becomes a case whose tasks wait for
 * people (`tandem serve` asks them). Messages are worked on by the engine's own threads, in the order
 * submitted; tandem_poll / tandem_wait fetch each one's result once.
 *
 * Strings: UTF-8, NUL-terminated, except the raw message (bytes and a length). Every string and result
 * tandem returns is the caller's: free strings with tandem_free and results with tandem_result_free.
 * Errors: every call returns a tandem_status; on failure, when `error` is not NULL, *error is set to a
 * message naming what went wrong and where (free it with tandem_free); on success *error is left alone.
 * Thread-safety: every function may be called from many threads at once on the same engine, except
 * tandem_engine_close, which must be the last call on it (it waits for messages being worked on; results
 * not yet fetched are dropped). A tandem_result is not shared by tandem: use it from one thread at a time.
 */
#ifndef TANDEM_TANDEM_H_
#define TANDEM_TANDEM_H_

#include <stddef.h>
#include <stdint.h>

#include "tandem/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tandem_status {
  TANDEM_OK = 0,
  TANDEM_PENDING = 1,             /* tandem_poll / tandem_wait: not finished yet (try again later) */
  TANDEM_ERR_INVALID_ARGUMENT = 2,/* a NULL handle or pointer, an unknown ticket, a negative count */
  TANDEM_ERR_INVALID_INPUT = 3,   /* a pipeline or message that cannot be used as it is */
  TANDEM_ERR_UNAVAILABLE = 4,     /* a resource (the store, a file) cannot be reached now; retrying may help */
  TANDEM_ERR_INTERNAL = 5         /* a bug in tandem or a broken installation */
} tandem_status;

/* The state of a finished message, as tandem_result_state gives it. */
typedef enum tandem_message_state {
  TANDEM_MESSAGE_DONE = 0,        /* understood; every annotation confident, nothing asked */
  TANDEM_MESSAGE_ASKED = 1,       /* understood; tasks for people are waiting in the store */
  TANDEM_MESSAGE_FAILED = 2,      /* a plugin failed: see the JSON's "error" and "retryable" */
  TANDEM_MESSAGE_UNREADABLE = 3   /* the message could not be read (empty, over a limit) */
} tandem_message_state;

typedef struct tandem_engine tandem_engine;
typedef struct tandem_result tandem_result;

/* The version of the library, "MAJOR.MINOR.PATCH" (static storage; do not free). */
TANDEM_API const char* tandem_version(void);

/* The name of a status ("TANDEM_ERR_INVALID_INPUT"; static storage). */
TANDEM_API const char* tandem_status_name(tandem_status status);

/* Opens the pipeline file (YAML) and, when `store_path` is not NULL, the case store (SQLite, created when
 * missing), with `threads` worker threads (0: one). On error *engine is set to NULL. */
TANDEM_API tandem_status tandem_engine_open(const char* pipeline_path, const char* store_path, int threads,
                                            tandem_engine** engine, char** error);

/* Stops the worker threads once the messages already submitted are done, and frees the engine. NULL is
 * allowed (nothing happens). */
TANDEM_API void tandem_engine_close(tandem_engine* engine);

/* Copies one raw message (RFC 5322 bytes, as read from a file or a mail server) for the engine's threads
 * and sets *ticket to its number (1, 2, ...). */
TANDEM_API tandem_status tandem_submit(tandem_engine* engine, const char* raw, size_t raw_len, uint64_t* ticket,
                                       char** error);

/* The result of `ticket` if it is finished (TANDEM_OK, *result set; the ticket is then used up), else
 * TANDEM_PENDING without waiting. */
TANDEM_API tandem_status tandem_poll(tandem_engine* engine, uint64_t ticket, tandem_result** result, char** error);

/* As tandem_poll, waiting up to `timeout_ms` milliseconds (a negative value: as long as it takes). */
TANDEM_API tandem_status tandem_wait(tandem_engine* engine, uint64_t ticket, int timeout_ms, tandem_result** result,
                                     char** error);

/* What a finished message became, as one JSON object (UTF-8; valid until the result is freed): "ticket",
 * "state", "case_id", "message_id", "thread_id", "subject", "from", "language", "zone", "locale",
 * "annotations" (variable, candidates, span), "tasks" (the questions asked), "problems", and "error" /
 * "retryable" for a failed message. */
TANDEM_API const char* tandem_result_json(const tandem_result* result);
TANDEM_API tandem_message_state tandem_result_state(const tandem_result* result);
/* The case id ("m-" and 16 hex digits), "" for an unreadable message (valid until the result is freed). */
TANDEM_API const char* tandem_result_case_id(const tandem_result* result);
TANDEM_API void tandem_result_free(tandem_result* result);

/* Frees a string tandem returned (an error message). NULL is allowed. */
TANDEM_API void tandem_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* TANDEM_TANDEM_H_ */
