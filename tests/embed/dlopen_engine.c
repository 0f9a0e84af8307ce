/* The engine library loaded at run time, as a host that loads modules does (a mail server's plugin, a
 * scripting language's foreign-function interface): dlopen() must succeed and the C API must answer.
 * A library whose thread-local storage is reached by the initial-exec model cannot be loaded so once its
 * TLS outgrows the static room glibc keeps ("cannot allocate memory in static TLS block").
 *
 *   tandem_dlopen_engine PATH_OF_LIBTANDEM_ENGINE
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: tandem_dlopen_engine PATH_OF_LIBTANDEM_ENGINE\n");
    return 2;
  }
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "dlopen failed: %s\n", dlerror());
    return 1;
  }
  typedef const char* (*version_fn)(void);
  version_fn version;
  void* symbol = dlsym(lib, "tandem_version");
  memcpy(&version, &symbol, sizeof version); /* (a data pointer to a function pointer, as POSIX allows) */
  if (symbol == NULL || version() == NULL || version()[0] == '\0') {
    fprintf(stderr, "tandem_version: not found or empty\n");
    return 1;
  }
  printf("loaded %s: tandem %s\n", argv[1], version());
  return dlclose(lib) == 0 ? 0 : 1;
}
