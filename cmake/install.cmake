# cmake --install: the CLI at <prefix>/bin/gmemsim, the libraries and headers,
# a CMake package (find_package(gmemsim)) and a pkg-config file, so another
# project can link the model and write scenarios in C.
include(CMakePackageConfigHelpers)

set(GMEMSIM_INC ${CMAKE_INSTALL_INCLUDEDIR}/gmemsim)
install(TARGETS gmemsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS gmemsim_shims gmemsim_model gmemsim_sim EXPORT gmemsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY kernel-shims/include/ model/include/ model/arch/x86/include/
        DESTINATION ${GMEMSIM_INC} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY sim/ DESTINATION ${GMEMSIM_INC}/sim FILES_MATCHING PATTERN "*.h")
install(EXPORT gmemsimTargets NAMESPACE gmemsim::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gmemsim)
configure_package_config_file(cmake/gmemsimConfig.cmake.in
        ${CMAKE_CURRENT_BINARY_DIR}/gmemsimConfig.cmake
        INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gmemsim)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/gmemsimConfigVersion.cmake
        COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/gmemsimConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/gmemsimConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gmemsim)
configure_file(cmake/gmemsim.pc.in ${CMAKE_CURRENT_BINARY_DIR}/gmemsim.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/gmemsim.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
