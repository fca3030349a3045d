# cmake --install: headers, libeie (shared and static), the eie command, a CMake
# package (find_package(eie) -> eie::eie, eie::eie_static) and eie.pc.
include(CMakePackageConfigHelpers)

set(EIE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/eie CACHE STRING
    "Where the CMake package goes, under the prefix")

install(TARGETS eie_shared eie_model EXPORT eie_targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${EIE_PUBLIC_HEADERS} ${EIE_PUBLIC_DEF}
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/eie COMPONENT development)
if(EIE_WITH_CLI)
  install(TARGETS eie_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
endif()

install(EXPORT eie_targets NAMESPACE eie:: FILE eie-targets.cmake
  DESTINATION ${EIE_INSTALL_CMAKEDIR} COMPONENT development)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/eie-config.cmake.in
  ${CMAKE_BINARY_DIR}/eie-config.cmake INSTALL_DESTINATION ${EIE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/eie-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/eie-config.cmake ${CMAKE_BINARY_DIR}/eie-config-version.cmake
  DESTINATION ${EIE_INSTALL_CMAKEDIR} COMPONENT development)

# pkg-config: paths relative to ${pcfiledir}, so the tree can be moved after install.
file(RELATIVE_PATH EIE_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" EIE_PC_TO_PREFIX "${EIE_PC_TO_PREFIX}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/eie.pc.in ${CMAKE_BINARY_DIR}/eie.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/eie.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT development)

# Install to a scratch prefix and build the consumer example against it
# (CMake package, pkg-config, static and shared), and import the Python package from it.
if(EIE_WITH_TESTS)
  add_test(NAME install.consumer
    COMMAND bash ${CMAKE_SOURCE_DIR}/examples/consumer/check.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/consumer-check ${EIE_PYTHON})
  set_tests_properties(install.consumer PROPERTIES LABELS "install;example" TIMEOUT 300)
endif()
