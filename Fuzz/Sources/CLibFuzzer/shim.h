// libFuzzer's entry point for a program that keeps its own `main` (it ships in the Swift
// toolchain's libclang_rt.fuzzer, linked by `-sanitize=fuzzer`).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
