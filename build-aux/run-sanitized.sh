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
# build-aux/lsan.supp does not list (only one-time allocations of third-party libraries are
# listed there, each with its reason) — except in the UI tests for now (see the FIXME below).
# MESON_TEST_ARGS (e.g. "--suite core") runs just those tests, leaks checked.  The exit status
# is non-zero if any test failed.
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
# detect_leaks at exit, with the suppressions of build-aux/lsan.supp.  The system libraries have
# no frame pointers, so ASan's fast unwinder records an allocation's stack only down to the
# first library frame: enough to detect a leak and to match a suppression by library, and what
# keeps the run within CI's time.  SANITIZE_FULL_STACKS=1 takes the slow unwinder (3–4 times
# slower) for whole stacks that name our caller, to find the leak a run reported.
unwind=""
[ "${SANITIZE_FULL_STACKS:-0}" = 1 ] && unwind=":fast_unwind_on_malloc=0:malloc_context_size=30"
export ASAN_OPTIONS="halt_on_error=1:print_stacktrace=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1$unwind${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$src/build-aux/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
# The UI tests draw with cairo (GSK_RENDERER=cairo), but GDK still probes EGL/GLX at start-up,
# and Mesa's software driver, loaded for the probe and unloaded after it, leaves allocations no
# suppression can name (their module is gone: "<unknown module>").  No GL, no probe.
export GDK_DEBUG=gl-disable

# Sanitized code runs 2–3 times slower: the same timeouts, tripled.
run_tests () {
  # shellcheck disable=SC2086
  meson test -C "$build" --print-errorlogs --num-processes 2 --timeout-multiplier 3 "$@"
}

if [ -n "${MESON_TEST_ARGS:-}" ]; then
  # shellcheck disable=SC2086
  exec meson test -C "$build" --print-errorlogs --num-processes 2 --timeout-multiplier 3 $MESON_TEST_ARGS
fi

# Everything but the UI with LeakSanitizer (meson-logs/testlog.json), then the UI tests under
# ASan and UBSan without it (meson-logs/testlog-ui.json).  FIXME: GTK 4.8 and libadwaita keep
# allocations at exit that LSan reports (16 KiB blocks from g_malloc with no frame of ours,
# GdkPixbuf icons, GTK's own) and that the fast unwinder cannot attribute; the slow one makes the
# UI tests' fixed waits time out.  Until they are triaged and listed in lsan.supp one by one, the
# UI runs check memory errors and undefined behaviour, not leaks.
# The sync suite likewise: libsecret's synchronous calls (secret_password_store_sync() and the
# like) run GDBus proxies on a private main loop that keep 8-byte blocks per call (stacks end in
# libgio under libsecret, nothing of ours; seen with SANITIZE_FULL_STACKS=1), and the fast
# unwinder cannot tell them from a leak of ours.  FIXME: move crm-secret.c to the async API or
# list them with full stacks.
status=0
run_tests --no-suite ui --no-suite sync || status=1
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" run_tests --suite ui --suite sync --logbase testlog-ui || status=1
exit $status
