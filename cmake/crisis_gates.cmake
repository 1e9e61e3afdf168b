# ctest gates on the crisis detector (included from CMakeLists.txt inside
# BUILD_TESTING). Figures and how to add a pattern safely: docs/safety.md.
#
# tests/data/crisis.tsv, the labelled corpus: every crisis message reaches
# crisis routing (recall 100%), at most 5% of the non-crisis messages raise a
# false alarm, and at least 98% of the crisis messages get their own category
# (the category decides the first action: 911 for an overdose, the hotline
# for abuse, 988 for suicide).
add_test(NAME crisis_corpus_is_caught
         COMMAND steady eval --content ${CMAKE_CURRENT_SOURCE_DIR}
                 --min-crisis-recall 1.0 --max-false-alarm 0.05
                 --min-category-accuracy 0.98
                 ${CMAKE_CURRENT_SOURCE_DIR}/tests/data/crisis.tsv)
# The older, smaller sample, written by someone else: the same bars.
add_test(NAME crisis_sample_is_caught
         COMMAND steady eval --content ${CMAKE_CURRENT_SOURCE_DIR}
                 --min-crisis-recall 1.0 --max-false-alarm 0.05
                 --min-category-accuracy 0.98
                 ${CMAKE_CURRENT_SOURCE_DIR}/tests/data/crisis_sample.tsv)
