# The web chat widget (web/) compiled into the server: a build step turns
# the files below into a C++ source of their bytes (cmake/embed_web_files.cmake)
# that the steady_server library links, so `steady serve` needs no web folder
# at run time (src/server/static_files.h). Editing a file rebuilds it.
# Included from CMakeLists.txt after steady_server is defined.
set(STEADY_WEB_FILES index.html widget.js widget.css demo.js demo.css)
set(STEADY_WEB_SOURCE ${CMAKE_CURRENT_BINARY_DIR}/generated/web_files.cpp)
# The script takes the names comma-separated: a ';' list would be split
# into separate arguments on the way to the command line.
string(REPLACE ";" "," STEADY_WEB_FILE_ARG "${STEADY_WEB_FILES}")
set(STEADY_WEB_DEPENDS "")
foreach(name IN LISTS STEADY_WEB_FILES)
  list(APPEND STEADY_WEB_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/web/${name})
endforeach()
add_custom_command(
  OUTPUT ${STEADY_WEB_SOURCE}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${STEADY_WEB_SOURCE}
          -DWEB_DIR=${CMAKE_CURRENT_SOURCE_DIR}/web
          -DFILES=${STEADY_WEB_FILE_ARG}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_web_files.cmake
  DEPENDS ${STEADY_WEB_DEPENDS} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_web_files.cmake
  COMMENT "Embedding the web widget (web/) into the server"
  VERBATIM)
target_sources(steady_server PRIVATE ${STEADY_WEB_SOURCE})
