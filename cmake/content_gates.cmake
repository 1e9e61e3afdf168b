# ctest gates on the shipped content (included from CMakeLists.txt inside
# BUILD_TESTING): it validates and its conversation tests pass.
add_test(NAME content_validates
         COMMAND steady validate --content ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME conversations_pass
         COMMAND steady test --content ${CMAKE_CURRENT_SOURCE_DIR}
                 ${CMAKE_CURRENT_SOURCE_DIR}/tests/conversations)
