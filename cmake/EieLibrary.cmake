# libeie: the C model (cmodel/hw: the units, twins of rtl/; cmodel/fast: the
# fast engine; cmodel/src: the software around them), as a static library
# (eie_model, what the tools and tests link) and a shared one (eie_shared) whose exported symbols are exactly the
# functions and data the public headers (cmodel/include/eie/*.h) declare.
# Both are built from one set of position-independent objects.

file(GLOB EIE_MODEL_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/cmodel/src/*.c
     ${CMAKE_SOURCE_DIR}/cmodel/hw/*.c ${CMAKE_SOURCE_DIR}/cmodel/fast/*.c)
file(GLOB EIE_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/cmodel/include/eie/*.h)
set(EIE_PUBLIC_DEF ${CMAKE_SOURCE_DIR}/cmodel/include/eie/eie_params.def
                   ${CMAKE_SOURCE_DIR}/cmodel/include/eie/eie_regs.def)

add_library(eie_objs OBJECT ${EIE_MODEL_SRC})
set_target_properties(eie_objs PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_include_directories(eie_objs PUBLIC
  $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/cmodel/include>)
# The units (cmodel/hw) and the fast engine (cmodel/fast) see each other's
# internal headers; nothing outside the library does.
target_include_directories(eie_objs PRIVATE ${CMAKE_SOURCE_DIR}/cmodel/hw ${CMAKE_SOURCE_DIR}/cmodel/fast)

add_library(eie_model STATIC $<TARGET_OBJECTS:eie_objs>)
add_library(eie_shared SHARED $<TARGET_OBJECTS:eie_objs>)
foreach(t eie_model eie_shared)
  target_include_directories(${t} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/cmodel/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endforeach()
target_link_libraries(eie_model PUBLIC m)
target_link_libraries(eie_shared PRIVATE m)
set_target_properties(eie_model PROPERTIES OUTPUT_NAME eie EXPORT_NAME eie_static)
set_target_properties(eie_shared PROPERTIES OUTPUT_NAME eie EXPORT_NAME eie
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})

# The units are separate files, as in the RTL; link-time optimisation inlines
# their per-cycle steps into the PE loop. Fat objects keep the static library
# usable by compilers and links without LTO.
include(CheckIPOSupported)
check_ipo_supported(RESULT EIE_IPO OUTPUT EIE_IPO_MSG LANGUAGES C)
if(EIE_IPO AND CMAKE_BUILD_TYPE STREQUAL "Release")
  set_property(TARGET eie_objs eie_model eie_shared PROPERTY INTERPROCEDURAL_OPTIMIZATION TRUE)
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    target_compile_options(eie_objs PRIVATE -ffat-lto-objects)
  endif()
endif()

# Export list: every eie_* function or object declared in a public header
# (a name followed by '(' or declared extern). Names of static inline helpers
# land in the list too and are ignored by the linker; everything else the
# objects define (eie_internal.h, file-local helpers) stays hidden.
set(eie_exports "")
foreach(h ${EIE_PUBLIC_HEADERS})
  file(READ ${h} txt)
  string(REGEX MATCHALL "eie_[a-z0-9_]+[ \t\r\n]*\\(" calls "${txt}")
  foreach(c ${calls})
    string(REGEX REPLACE "[ \t\r\n]*\\($" "" c "${c}")
    list(APPEND eie_exports ${c})
  endforeach()
  string(REGEX MATCHALL "extern [A-Za-z0-9_ ]*eie_[a-z0-9_]+(\\[\\])?;" externs "${txt}")
  foreach(e ${externs})
    string(REGEX REPLACE ".*(eie_[a-z0-9_]+).*" "\\1" e "${e}")
    list(APPEND eie_exports ${e})
  endforeach()
endforeach()
list(REMOVE_DUPLICATES eie_exports)
list(SORT eie_exports)
list(JOIN eie_exports ";\n    " eie_exports_txt)
set(EIE_VERSION_SCRIPT ${CMAKE_BINARY_DIR}/libeie.map)
file(CONFIGURE OUTPUT ${EIE_VERSION_SCRIPT} CONTENT
"/* Generated from cmodel/include/eie/*.h by cmake/EieLibrary.cmake. */
EIE_${PROJECT_VERSION_MAJOR} {
  global:
    ${eie_exports_txt};
  local:
    *;
};
")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${EIE_PUBLIC_HEADERS})
target_link_options(eie_shared PRIVATE "LINKER:--version-script=${EIE_VERSION_SCRIPT}")
# Everything the library needs is linked in (libm); sanitizer runtimes are not.
if(NOT CMAKE_C_FLAGS MATCHES "-fsanitize")
  target_link_options(eie_shared PRIVATE "LINKER:--no-undefined")
endif()
set_property(TARGET eie_shared APPEND PROPERTY LINK_DEPENDS ${EIE_VERSION_SCRIPT})
