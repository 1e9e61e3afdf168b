# The benchmarks' smoke run: `scripts/bench/run --smoke` runs every
# benchmark for a few seconds (the engine and RiveScript, wrk against a real
# server, the growth helpers) into a throw-away copy of docs/benchmarks.md,
# so that none of them can rot unnoticed. It uses the binaries of this
# build (STEADY_BENCH_PREBUILT) and never fails on slowness. Left out of
# sanitizer builds: they are slow on purpose and their figures mean nothing.
if(NOT STEADY_SANITIZE AND TARGET steady_bench_engine AND TARGET steady_bench_growth)
  add_test(NAME bench_run_smoke
           COMMAND ${CMAKE_COMMAND} -E env
                   STEADY_BUILD_DIR=${CMAKE_BINARY_DIR}
                   STEADY_BENCH_PREBUILT=1
                   ${CMAKE_CURRENT_SOURCE_DIR}/scripts/bench/run --smoke
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(bench_run_smoke PROPERTIES LABELS bench TIMEOUT 300 RUN_SERIAL TRUE)
endif()
