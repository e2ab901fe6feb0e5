# clusterdeck_backend_headers(<target> <folder>)
# Code includes backend headers as "<folder>/x.h". Each backend library puts a link named <folder> to its own
# source folder under <build>/include and exposes only that directory, so a target sees the folders of the
# libraries it links and no others: an include against the dependency direction
# (common <- cluster <- metrics <- widgets <- ui <- app) fails to compile instead of building a cycle.
function(clusterdeck_backend_headers target folder)
  set(root ${CMAKE_CURRENT_BINARY_DIR}/include)
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()
