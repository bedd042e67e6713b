# One CTest test per scenario of the catalogue (scenarios/**/*.json), named by its ID so that
# `ctest -R rfc9449/4.3` selects by section, labelled by RFC and role (`ctest -L role:rs`).
# The catalogue runs once (fixture `catalogue`); each test reads its verdict from the report:
# pass or info passes, skip is skipped, anything else fails.

file(GLOB_RECURSE catalogue_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/scenarios/*.json")
set(catalogue_report_dir "${PROJECT_BINARY_DIR}/catalogue-report")
set(catalogue_ids "")
foreach(file IN LISTS catalogue_files)
  if(file MATCHES "/scenarios/schema/" OR file MATCHES "/requirements\\.json$")
    continue()
  endif()
  file(READ "${file}" text)
  # A broken file is reported by `tether run` (exit 2), not by configure.
  string(JSON spec ERROR_VARIABLE err GET "${text}" spec)
  if(err)
    continue()
  endif()
  string(JSON count ERROR_VARIABLE err LENGTH "${text}" scenarios)
  if(err OR count EQUAL 0)
    continue()
  endif()
  string(TOLOWER "${spec}" rfc_label)
  string(REPLACE " " "" rfc_label "${rfc_label}")
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON id ERROR_VARIABLE err GET "${text}" scenarios ${i} id)
    if(err OR id IN_LIST catalogue_ids)
      continue()
    endif()
    string(JSON role ERROR_VARIABLE err GET "${text}" scenarios ${i} role)
    list(APPEND catalogue_ids "${id}")
    add_test(NAME "${id}" COMMAND tether report-verdict "${catalogue_report_dir}/report.json" "${id}")
    set_tests_properties("${id}" PROPERTIES
      LABELS "catalogue;${rfc_label};role:${role}"
      FIXTURES_REQUIRED catalogue
      SKIP_RETURN_CODE 77
      TIMEOUT 60)
  endforeach()
endforeach()

if(catalogue_ids)
  add_test(NAME catalogue.run
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_catalogue.sh $<TARGET_FILE:tether> ${catalogue_report_dir}
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
  set_tests_properties(catalogue.run PROPERTIES
    LABELS "catalogue" FIXTURES_SETUP catalogue TIMEOUT 1800 RUN_SERIAL TRUE)
endif()
