# The RTL configurations of rtl/eie_configs.txt (read by scripts/configs.sh),
# and the parameter hash of one.
#
# eie_rtl_configs(<out> <use>): the lines whose USES name <use>, as a list of
#   "name pes fifo" strings.
# eie_param_hash(<out> NUM_PE <pes> FIFO_DEPTH <fifo>): the parameter hash
#   (docs/microarchitecture.md section 1) of the default configuration with
#   those overrides, computed by the C model's own eie_param_hash (compiled and
#   run at configure time, cmake/eie_param_hash.c), in decimal.
set(EIE_CONFIGS_FILE ${CMAKE_SOURCE_DIR}/rtl/eie_configs.txt)
set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${EIE_CONFIGS_FILE})

function(eie_rtl_configs out use)
  execute_process(COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/configs.sh list ${use}
                  OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${err}")
  endif()
  string(REPLACE "\n" ";" result "${text}")
  set(${out} ${result} PARENT_SCOPE)
endfunction()

function(eie_param_hash out)
  string(REPLACE ";" " " key "${ARGN}")
  # Cached per overrides and per version of the parameter table and hash code.
  file(MD5 ${CMAKE_SOURCE_DIR}/cmodel/include/eie/eie_params.def def_md5)
  file(MD5 ${CMAKE_SOURCE_DIR}/cmodel/src/eie_params.c code_md5)
  string(MAKE_C_IDENTIFIER "EIE_PARAM_HASH_${key}_${def_md5}_${code_md5}" var)
  if(NOT DEFINED ${var})
    try_run(run_rc compile_ok ${CMAKE_BINARY_DIR}/eie_param_hash ${CMAKE_SOURCE_DIR}/cmake/eie_param_hash.c
      CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${CMAKE_SOURCE_DIR}/cmodel/include"
      COMPILE_OUTPUT_VARIABLE compile_log RUN_OUTPUT_VARIABLE hash ARGS ${ARGN})
    if(NOT compile_ok OR NOT run_rc EQUAL 0 OR NOT hash MATCHES "^[0-9]+$")
      message(FATAL_ERROR "parameter hash of '${key}' failed: ${hash}${compile_log}")
    endif()
    set(${var} ${hash} CACHE INTERNAL "parameter hash of ${key}")
  endif()
  set(${out} ${${var}} PARENT_SCOPE)
endfunction()
