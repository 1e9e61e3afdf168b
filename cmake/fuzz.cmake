# Fuzz harnesses (tests/fuzz/, docs/testing.md). Included from
# CMakeLists.txt after every library is defined.
#
# Each harness is one file, tests/fuzz/<name>_fuzzer.cpp, defining
# LLVMFuzzerTestOneInput; its seed corpus is the folder tests/fuzz/<name>/.
# Every build makes one executable per harness, fuzz_<name>:
#
#  - in a clang build with -DSTEADY_SANITIZE=fuzzer (scripts/fuzz, build-fuzz)
#    it is a real libFuzzer binary (-fsanitize=fuzzer: libFuzzer's main);
#  - in every other build (gcc: build/, build-asan/, ...) it is linked with
#    tests/fuzz/replay_main.cpp, which feeds it every seed file and then
#    a few seconds of deterministic mutations of them. ctest runs that as
#    fuzz_smoke.<name>, so the harnesses build and run with the normal
#    compiler on every test run and cannot rot; in build-asan they run
#    under ASan and UBSan.
set(STEADY_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz)

# name -> the library it needs.
set(STEADY_FUZZ_HARNESSES
    normalizer:steady_core
    matcher:steady_core
    content_loader:steady_core
    message_request:steady_server
    create_session_request:steady_server
    route_path:steady_server
    twilio_form:steady_adapters
    twilio_webhook:steady_adapters
    telegram_webhook:steady_adapters)

# How long each smoke test mutates after replaying its seeds (seconds).
set(STEADY_FUZZ_SMOKE_SECONDS 2 CACHE STRING "Seconds of mutations per fuzz smoke test")

foreach(entry IN LISTS STEADY_FUZZ_HARNESSES)
  string(REPLACE ":" ";" entry "${entry}")
  list(GET entry 0 name)
  list(GET entry 1 library)
  set(target fuzz_${name})
  if(STEADY_SANITIZE STREQUAL "fuzzer")
    add_executable(${target} ${STEADY_FUZZ_DIR}/${name}_fuzzer.cpp)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${target} ${STEADY_FUZZ_DIR}/${name}_fuzzer.cpp
                   ${STEADY_FUZZ_DIR}/replay_main.cpp)
  endif()
  target_include_directories(${target} PRIVATE ${STEADY_FUZZ_DIR})
  target_link_libraries(${target} PRIVATE ${library})
  target_compile_definitions(${target} PRIVATE
    STEADY_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
  list(APPEND STEADY_FUZZ_TARGETS ${target})

  if(BUILD_TESTING AND NOT STEADY_SANITIZE STREQUAL "fuzzer")
    add_test(NAME fuzz_smoke.${name}
             COMMAND ${target} --seconds ${STEADY_FUZZ_SMOKE_SECONDS} ${STEADY_FUZZ_DIR}/${name})
    set_tests_properties(fuzz_smoke.${name} PROPERTIES
      LABELS fuzz
      # A few seconds normally; much slower under sanitizers, still bounded.
      TIMEOUT 120)
  endif()
endforeach()

# `cmake --build build-fuzz --target fuzzers` builds every harness.
add_custom_target(fuzzers DEPENDS ${STEADY_FUZZ_TARGETS})
