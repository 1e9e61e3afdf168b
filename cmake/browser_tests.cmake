# The web widget in a real browser (tests/browser/, README.md there):
# playwright-core drives Debian's headless Chromium against the real
# `steady serve` and a host page on a second loopback origin.
# Included from CMakeLists.txt inside BUILD_TESTING.
#
# browser_packages installs the npm packages (tests/browser/install: npm ci
# into <build>/browser/node_modules, only when missing or outdated) and is a
# fixture of browser_widget, so a plain `ctest` works on a fresh clone.
# Screenshots for review land in <build>/screenshots/.
find_program(STEADY_NODE node)
if(NOT STEADY_NODE)
  # Registered anyway, so a machine without Node.js fails the test loudly
  # instead of skipping it; scripts/test installs Node.js when missing.
  set(STEADY_NODE node)
endif()
set(STEADY_BROWSER_DIR ${CMAKE_CURRENT_BINARY_DIR}/browser)

add_test(NAME browser_packages
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/browser/install ${STEADY_BROWSER_DIR})
set_tests_properties(browser_packages PROPERTIES
  FIXTURES_SETUP browser_packages
  TIMEOUT 300)

add_test(NAME browser_widget
         COMMAND ${STEADY_NODE} --test --test-reporter=spec
                 ${CMAKE_CURRENT_SOURCE_DIR}/tests/browser/widget.test.mjs)
set_tests_properties(browser_widget PROPERTIES
  FIXTURES_REQUIRED browser_packages
  # The tests stop themselves well before this (see tests/browser/harness.mjs).
  TIMEOUT 420
  ENVIRONMENT "STEADY_BINARY=$<TARGET_FILE:steady>;STEADY_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR};STEADY_NODE_MODULES=${STEADY_BROWSER_DIR}/node_modules;STEADY_SCREENSHOT_DIR=${CMAKE_CURRENT_BINARY_DIR}/screenshots")
