// The sanitizers' default options, compiled into every sanitized executable
// (CMakeLists.txt: tessera_sanitizer_options) and nowhere else: the test
// binaries, and the `tessera` and `tessctl` processes the tests start, all
// stop at the first report and exit non-zero, whoever runs them and with
// whatever environment. ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS and
// TSAN_OPTIONS still override these for a run by hand.
//
// The runtimes look these functions up by name (weak symbols in
// compiler-rt), hence the C linkage and the unused-looking definitions.

#ifndef TESSERA_LSAN_SUPPRESSIONS
#error "TESSERA_LSAN_SUPPRESSIONS (the path of tests/sanitizers/lsan.supp) is not defined"
#endif

extern "C" {

#if defined(__SANITIZE_ADDRESS__)
// abort_on_error: a report ends in SIGABRT, which no caller mistakes for a
// normal exit. detect_leaks: LeakSanitizer runs at exit.
// fast_unwind_on_malloc=0: allocation stacks go on through libraries built
// without frame pointers (libpq, libpqxx, Pistache) to the Tessera code that
// called them; the fast unwinder stops inside them. It costs the e2e tier
// about 20 s.
const char* __asan_default_options() {
  return "halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:"
         "fast_unwind_on_malloc=0:"
         "strict_init_order=1:check_initialization_order=1:print_summary=1";
}

// Leaks in third-party libraries only (each entry says why); never Tessera's.
const char* __lsan_default_options() {
  return "suppressions=" TESSERA_LSAN_SUPPRESSIONS ":print_suppressions=0";
}

// -fno-sanitize-recover=all already makes every UBSan check fatal.
const char* __ubsan_default_options() {
  return "halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1";
}
#endif

#if defined(__SANITIZE_THREAD__)
// halt_on_error, abort_on_error: the first race ends the run in SIGABRT, so
// a test cannot pass over it. second_deadlock_stack: both stacks of a lock
// inversion.
const char* __tsan_default_options() {
  return "halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:history_size=4";
}
#endif

}  // extern "C"
