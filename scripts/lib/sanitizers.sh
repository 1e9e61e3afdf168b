# The sanitizer runs of scripts/test (docs/testing.md): --sanitize
# (AddressSanitizer with LeakSanitizer, and UndefinedBehaviorSanitizer) and
# --tsan (ThreadSanitizer over the concurrency tests).
#
# Source it after scripts/lib/common.sh. It defines functions only.
# shellcheck shell=bash

# sanitizer_env LOG_DIR: exports the runtime options every sanitized process
# inherits: the test binaries, and the `steady` servers and commands they
# spawn. Any report stops the process at once (abort_on_error), so the test
# that reached it fails, and is written to a file under LOG_DIR
# (log_path), because a spawned server's stderr goes to a file its test
# deletes. check_sanitizer_logs then fails the run if any report was written.
sanitizer_env() {
  local log_dir="$1"
  rm -rf "$log_dir"
  mkdir -p "$log_dir"
  local common="abort_on_error=1:halt_on_error=1:print_summary=1"
  # LeakSanitizer works on this kind of machine (it needs ptrace-like
  # access to its own threads, which some containers refuse; if it ever
  # fails here it says "LeakSanitizer has encountered a fatal error").
  export ASAN_OPTIONS="${common}:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:strict_init_order=1:log_path=${log_dir}/asan"
  export UBSAN_OPTIONS="${common}:print_stacktrace=1:log_path=${log_dir}/ubsan"
  export TSAN_OPTIONS="${common}:second_deadlock_stack=1:print_suppressions=0:log_path=${log_dir}/tsan:suppressions=${STEADY_ROOT}/scripts/lib/tsan-suppressions.txt"
  export LSAN_OPTIONS="print_suppressions=0"
}

# check_sanitizer_logs LOG_DIR: prints every sanitizer report written under
# LOG_DIR and returns 1 if there is any.
check_sanitizer_logs() {
  local log_dir="$1"
  local reports=()
  mapfile -t reports < <(find "$log_dir" -type f -size +0 | sort)
  if ((${#reports[@]} == 0)); then
    echo "No sanitizer reports (${log_dir} is empty)."
    return 0
  fi
  local report
  for report in "${reports[@]}"; do
    printf '\n---- %s\n' "$report"
    head -n 200 "$report"
  done
  printf '\n%s: %d sanitizer report(s), above and in %s\n' \
    "$(basename "$0")" "${#reports[@]}" "$log_dir" >&2
  return 1
}

# run_sanitized_suite BUILD_DIR [CTEST_ARG...]: builds everything with
# ASan+UBSan in BUILD_DIR and runs the whole ctest suite but the browser
# tests, which drive the same server routes the Catch2 HTTP tests already
# drive, from JavaScript in Chromium (none of it instrumented), and would
# install their npm packages a second time.
run_sanitized_suite() {
  local build_dir="$1"
  shift
  STEADY_CMAKE_ARGS=(-DSTEADY_SANITIZE=address)
  configure_and_build "$build_dir"
  local log_dir
  log_dir="$(abs_path "$build_dir")/sanitizer-logs"  # absolute: tests change directory
  sanitizer_env "$log_dir"
  section "Test under ASan+UBSan (ctest --test-dir ${build_dir}, browser tests left out)"
  local status=0
  # One test per core: most of a sanitized test's time is a server starting up
  # (about a second each under ASan), not CPU.
  ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)" \
    -E '^browser_' "$@" || status=$?
  check_sanitizer_logs "$log_dir" || status=1
  return "$status"
}

# run_tsan_suite BUILD_DIR [CTEST_ARG...]: builds `steady` and the
# concurrency tests (steady_tsan_tests, cmake/sanitizers.cmake lists their
# files) with ThreadSanitizer in BUILD_DIR and runs them (ctest -L tsan);
# the servers they start are the instrumented `steady` too.
run_tsan_suite() {
  local build_dir="$1"
  shift
  STEADY_CMAKE_ARGS=(-DSTEADY_SANITIZE=thread)
  configure_and_build "$build_dir" steady steady_tsan_tests
  local log_dir
  log_dir="$(abs_path "$build_dir")/sanitizer-logs"  # absolute: tests change directory
  sanitizer_env "$log_dir"
  section "Concurrency tests under TSan (ctest --test-dir ${build_dir} -L tsan)"
  local status=0
  ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)" \
    -L tsan "$@" || status=$?
  check_sanitizer_logs "$log_dir" || status=1
  return "$status"
}
