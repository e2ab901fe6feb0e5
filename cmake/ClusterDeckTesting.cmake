# clusterdeck_add_test(tst_name SOURCES a.cpp ... [LIBS ...] [LABELS unit|integration|gui] [LAB])
# One Qt Test executable per unit. LIBS names the libraries the test exercises (clusterdeck_cluster, ...);
# when none of them is a clusterdeck_ library the test links the aggregate clusterdeck_backends. LAB marks a test that needs the running lab cluster:
# it requires the "lab" fixture (started once by lab_up, stopped by lab_down) and holds the lab lock,
# because lab tests inject faults and must not overlap.
function(clusterdeck_add_test name)
  cmake_parse_arguments(ARG "LAB" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  set(libs ${ARG_LIBS})
  list(FILTER libs INCLUDE REGEX "^clusterdeck_")
  if(NOT libs)
    list(APPEND ARG_LIBS clusterdeck_backends)
  endif()
  target_link_libraries(${name} PRIVATE Qt6::Test clusterdeck_warnings ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    CLUSTERDECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CLUSTERDECK_LAB_SCRIPT="${PROJECT_SOURCE_DIR}/tests/lab/lab")
  add_test(NAME ${name} COMMAND ${name})
  set(env "QT_QPA_PLATFORM=offscreen;CLUSTERDECK_BUILD_DIR=${PROJECT_BINARY_DIR}")
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "${env}")
  if(ARG_LAB)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/lab)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED lab RESOURCE_LOCK lab)
  endif()
endfunction()
