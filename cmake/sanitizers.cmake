# Sanitizer builds (docs/testing.md). Included from CMakeLists.txt before
# any target is defined, so every library, the `steady` binary and the
# tests are instrumented alike.
#
#   cmake -S . -B build-asan -DSTEADY_SANITIZE=address   # scripts/test --sanitize
#   cmake -S . -B build-tsan -DSTEADY_SANITIZE=thread    # scripts/test --tsan
#   CXX=clang++ cmake -S . -B build-fuzz -DSTEADY_SANITIZE=fuzzer   # scripts/fuzz
#
# address: AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer.
#   -fno-sanitize-recover=undefined makes undefined behaviour abort instead of
#   printing and going on, so it fails the test that reached it.
# thread: ThreadSanitizer. It cannot be combined with address.
# fuzzer: clang only. Everything gets libFuzzer's coverage instrumentation
#   (fuzzer-no-link) plus ASan and UBSan; cmake/fuzz.cmake links the fuzz_*
#   harnesses with libFuzzer's main.
#
# What happens on a report (abort, log files, the final check) is set at
# run time by scripts/test through ASAN_OPTIONS, UBSAN_OPTIONS and
# TSAN_OPTIONS, because the same options must reach the `steady` servers
# the tests spawn.
set(STEADY_SANITIZE "" CACHE STRING
    "Sanitizers to build with: '', 'address' (ASan+UBSan), 'thread' (TSan) or 'fuzzer' (clang)")
set_property(CACHE STEADY_SANITIZE PROPERTY STRINGS "" address thread fuzzer)

if(STEADY_SANITIZE STREQUAL "address")
  set(STEADY_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
elseif(STEADY_SANITIZE STREQUAL "thread")
  set(STEADY_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
elseif(STEADY_SANITIZE STREQUAL "fuzzer")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "STEADY_SANITIZE=fuzzer needs clang (CXX=clang++); see scripts/fuzz")
  endif()
  set(STEADY_SANITIZER_FLAGS -fsanitize=fuzzer-no-link,address,undefined
      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
elseif(NOT STEADY_SANITIZE STREQUAL "")
  message(FATAL_ERROR
          "STEADY_SANITIZE must be '', 'address', 'thread' or 'fuzzer', not '${STEADY_SANITIZE}'")
endif()

if(STEADY_SANITIZER_FLAGS)
  message(STATUS "Sanitizers: ${STEADY_SANITIZE} (${STEADY_SANITIZER_FLAGS})")
  # -O1, as the sanitizers' authors advise: stack traces stay readable, the
  # build is faster on a small machine, and the run is fast enough.
  # -g1: line tables, all a stack trace needs, at a fifth less build time.
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1 -DNDEBUG")
  add_compile_options(${STEADY_SANITIZER_FLAGS})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC's flow analysis is confused by the instrumentation (std::regex,
    # std::function) and warns about initialized values.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(${STEADY_SANITIZER_FLAGS})
endif()

# The test files whose tests run under ThreadSanitizer (scripts/test
# --tsan): the store's multi-thread and multi-connection tests and its
# group commit, session
# locks, the rate limiter, the conversation service, the escalation worker,
# and the server tests that send concurrent turns to one `steady serve` (a
# thread pool, the purge timer, the escalation worker, SIGHUP reloads) or to
# two sharing one database, and kill them mid-load. The servers they start
# are the instrumented `steady` too. A file that does not exist (yet) is
# skipped with a warning.
set(STEADY_TSAN_TEST_FILES
    tests/store/sqlite_store_test.cpp
    tests/store/sqlite_outbox_test.cpp
    tests/store/group_commit_test.cpp
    tests/server/session_locks_test.cpp
    tests/server/rate_limiter_test.cpp
    tests/server/conversation_service_test.cpp
    tests/server/escalation_test.cpp
    tests/server/server_lifecycle_test.cpp
    tests/server/server_shared_db_test.cpp
    tests/server/crash_safety_test.cpp)

# steady_sanitizer_tests(): what the sanitizer builds change about the
# tests. Call it after steady_tests is defined; a no-op in other builds.
#  - address: the test code itself is built at -O0 (the product code stays
#    at -O1). Catch's assertion macros make large functions whose
#    instrumented optimization costs more build time than all the tests
#    take to run; nothing is lost, since ASan and UBSan check -O0 code as
#    well.
#  - thread: one more test binary, steady_tsan_tests, of just
#    STEADY_TSAN_TEST_FILES, registered as one ctest test per file,
#    tsan.<file>, with the label `tsan` (ctest -L tsan), so a TSan run
#    builds only the libraries, `steady` and these files.
function(steady_sanitizer_tests)
  if(STEADY_SANITIZE STREQUAL "address")
    target_compile_options(steady_tests PRIVATE -O0)
  elseif(STEADY_SANITIZE STREQUAL "thread")
    set(sources tests/test_main.cpp)
    foreach(file IN LISTS STEADY_TSAN_TEST_FILES)
      if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${file})
        list(APPEND sources ${file})
      else()
        message(WARNING "STEADY_TSAN_TEST_FILES: ${file} does not exist")
      endif()
    endforeach()
    add_executable(steady_tsan_tests ${sources})
    target_include_directories(steady_tsan_tests PRIVATE tests)
    target_link_libraries(steady_tsan_tests PRIVATE steady_cli Catch2::Catch2)
    target_compile_options(steady_tsan_tests PRIVATE -O0)
    target_compile_definitions(steady_tsan_tests PRIVATE
      STEADY_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}"
      STEADY_BINARY="$<TARGET_FILE:steady>")
    # One ctest test per file, selected with Catch's file-name tags (-#)
    # rather than per test case: catch_discover_tests cuts a test name at
    # a ';' into two names that match nothing, and Catch passes a run that
    # matched nothing. --warn NoTests makes an empty selection fail.
    foreach(file IN LISTS sources)
      get_filename_component(name ${file} NAME_WE)
      if(name STREQUAL "test_main")
        continue()
      endif()
      add_test(NAME tsan.${name}
               COMMAND steady_tsan_tests "-#" "[#${name}]~[pg]" --warn NoTests)
      set_tests_properties(tsan.${name} PROPERTIES
        LABELS tsan
        WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
        TIMEOUT 600)
    endforeach()
  endif()
endfunction()
