#!/bin/sh
# Builds Clientele with AddressSanitizer (and LeakSanitizer) and UndefinedBehaviorSanitizer in a
# build folder of its own and runs the whole meson test suite there: core, io, analytics, cli,
# data (the kill campaign) and the UI tests, which run under Xvfb exactly as in the normal build
# (tests/ui/run-under-xvfb.sh).  Every clientele-cli a test starts is the sanitized one too.
#
#   build-aux/run-sanitized.sh [BUILDDIR]        (default: _build-sanitized)
#
# CC picks the compiler (gcc or clang; default cc).  Any undefined behaviour aborts
# (-fno-sanitize-recover), any ASan report fails the test, and so does a leak at exit that
# build-aux/lsan.supp does not list (only what third-party libraries keep or lose themselves is
# listed there, each with its reason; never a function of Clientele's).
# MESON_TEST_ARGS (e.g. "--suite ui --suite sync") runs just those tests, leaks checked.  The
# exit status is non-zero if any test failed.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-_build-sanitized}

if [ ! -f "$build/build.ninja" ]; then
  CC=${CC:-cc} meson setup "$build" "$src" \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fno-sanitize-recover=all -fno-omit-frame-pointer" \
    -Dc_link_args="-fno-sanitize-recover=all"
fi
ninja -C "$build"

# halt_on_error: the first report ends the process (and fails its test); print_stacktrace: where.
# detect_leaks at exit, with the suppressions of build-aux/lsan.supp.
export ASAN_OPTIONS="halt_on_error=1:print_stacktrace=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$src/build-aux/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
# The UI tests draw with cairo (GSK_RENDERER=cairo), but GDK still probes EGL/GLX at start-up,
# and Mesa's software driver, loaded for the probe and unloaded after it, leaves allocations no
# suppression can name (their module is gone: "<unknown module>").  No GL, no probe.
export GDK_DEBUG=gl-disable

# How allocation stacks are recorded.  The system libraries have no frame pointers, so ASan's
# fast unwinder stops at the first library frame (g_malloc): enough to report a leak, not to
# tell GLib's or GTK's own from ours.  The core, io, analytics, cli and data suites leak nothing
# of a library's, so they keep it (it keeps CI's time).  The UI and sync suites run GTK, GDBus
# and libsecret, whose few leaks lsan.supp names by a library function: they take the slow
# unwinder, 10 frames deep (malloc_context_size counts ASan's own 2), which reaches that
# function (about 3.5 times the CPU of the fast one; 30 frames cost 4 times more again).
# SANITIZE_FULL_STACKS=1 records 28 frames everywhere, to find the caller of a leak a run reported.
# The UI tests' waits (wait_until, spin) are stretched 4 times there (CRM_TEST_WAIT_FACTOR).
fast=""
library=":fast_unwind_on_malloc=0:malloc_context_size=12"
if [ "${SANITIZE_FULL_STACKS:-0}" = 1 ]; then
  fast=":fast_unwind_on_malloc=0:malloc_context_size=30"
  library=$fast
fi

# Sanitized code runs 2–3 times slower: the same timeouts, tripled.
run_tests () {
  meson test -C "$build" --print-errorlogs --num-processes 2 --timeout-multiplier 3 "$@"
}

if [ -n "${MESON_TEST_ARGS:-}" ]; then
  # shellcheck disable=SC2086
  CRM_TEST_WAIT_FACTOR=4 ASAN_OPTIONS="$ASAN_OPTIONS$library" run_tests $MESON_TEST_ARGS
  exit
fi

# Every suite with LeakSanitizer: all but UI and sync (meson-logs/testlog.json), then those two
# (meson-logs/testlog-ui.json); .ci/run counts both.
status=0
ASAN_OPTIONS="$ASAN_OPTIONS$fast" run_tests --no-suite ui --no-suite sync || status=1
CRM_TEST_WAIT_FACTOR=4 ASAN_OPTIONS="$ASAN_OPTIONS$library" run_tests --suite ui --suite sync --logbase testlog-ui \
  || status=1
exit $status
