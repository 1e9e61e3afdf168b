# ctest gates on the crisis detector (included from CMakeLists.txt inside
# BUILD_TESTING). Every crisis message in the labelled sample is caught, and
# ordinary ones rarely raise a false alarm.
add_test(NAME crisis_sample_is_caught
         COMMAND steady eval --content ${CMAKE_CURRENT_SOURCE_DIR}
                 --min-crisis-recall 1.0 --max-false-alarm 0.05
                 ${CMAKE_CURRENT_SOURCE_DIR}/tests/data/crisis_sample.tsv)
