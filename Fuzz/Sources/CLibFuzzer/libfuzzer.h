// libFuzzer's driver entry point (compiler-rt, linked by -sanitize=fuzzer). Only declared here:
// a fuzz build calls it from Swift's own main, which SwiftPM's Linux link step keeps as `main`
// (it renames the executable's entry point with --defsym main=<module>_main, overriding
// libFuzzer's main). A normal build never references it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
