# The PostgreSQL store's tests (tagged [pg]): the store conformance suite
# and the multi-node tests, run against a private PostgreSQL server that
# tests/support/with_pg_cluster starts in a temp folder on a loopback port
# and stops when they end. They are left out of the one-test-per-case
# discovery (see CMakeLists.txt) and run here as one ctest test, so the
# cluster starts once. Included from CMakeLists.txt inside BUILD_TESTING.
add_test(NAME store_postgresql
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/support/with_pg_cluster
                 $<TARGET_FILE:steady_tests> "[pg]")
set_tests_properties(store_postgresql PROPERTIES
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
  TIMEOUT 300)
