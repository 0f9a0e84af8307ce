# tandem_add_plugin(<target> SOURCES <src>... [OUTPUT_DIRECTORY <dir>] [INSTALL]
#                   [CONFORMANCE_CONFIG <valid.yaml>] [CONFORMANCE_BAD_CONFIGS <bad.yaml>...]
#                   [NO_CONFORMANCE] [CONFORMANCE_WILL_FAIL] [TESTS <test.cpp>...])
#
# Builds one tandem plugin: a MODULE library that links tandem::sdk only (headers; nothing of the
# engine), with hidden visibility so the `tandem_plugin` alias is its only export, no undefined symbols
# (so it cannot lean on engine internals), and the shared C++ runtime (never -static-libstdc++: objects
# made in the plugin are freed across the boundary).
#
# When GoogleTest and tandem::conformance are available and testing is enabled, it also adds the test
# `<target>_conformance`, which loads the built library through the real host and runs the conformance
# kit (sdk/conformance/README.md): descriptor, schema errors with line and column, bad input, threads.
# TESTS adds the ctest `<target>_test`: the plugin author's own GoogleTest sources, linked with the kit
# (tandem/conformance/plugin_under_test.hpp loads the built plugin through the real host; the
# definition PLUGIN_FILE names the built library).
include_guard(GLOBAL)

function(tandem_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "INSTALL;NO_CONFORMANCE;CONFORMANCE_WILL_FAIL" "OUTPUT_DIRECTORY;CONFORMANCE_CONFIG"
                        "SOURCES;CONFORMANCE_BAD_CONFIGS;TESTS")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "tandem_add_plugin(${target}): SOURCES is required")
  endif()
  foreach(flags_var CMAKE_CXX_FLAGS CMAKE_MODULE_LINKER_FLAGS CMAKE_SHARED_LINKER_FLAGS)
    if("${${flags_var}}" MATCHES "static-libstdc\\+\\+|static-libgcc")
      message(FATAL_ERROR "tandem_add_plugin(${target}): ${flags_var} links the C++ runtime statically; "
                          "tandem plugins must use the shared runtime the engine uses")
    endif()
  endforeach()

  add_library(${target} MODULE ${arg_SOURCES})
  set_property(GLOBAL APPEND PROPERTY TANDEM_PLUGIN_TARGETS ${target})
  target_link_libraries(${target} PRIVATE tandem::sdk)
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(NOT APPLE)
    # The descriptor alias is the library's only export: a version script also hides the weak template
    # symbols libstdc++ headers would otherwise export (Boost.DLL FAQ: symbol shadowing between plugins).
    set(exports_map "${CMAKE_BINARY_DIR}/tandem_plugin_exports.map")
    if(NOT EXISTS "${exports_map}")
      file(WRITE "${exports_map}" "{\n  global: tandem_plugin;\n  local: *;\n};\n")
    endif()
    target_link_options(${target} PRIVATE "LINKER:--no-undefined" "LINKER:--version-script=${exports_map}")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${exports_map}")
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GNU "unique" symbols (template statics from libstdc++ headers) pin a library in memory for good;
    # without them a plugin unloads once its last object is gone.
    target_compile_options(${target} PRIVATE -fno-gnu-unique)
  endif()
  if(arg_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${arg_OUTPUT_DIRECTORY}")
  endif()
  # Refuse a link to the engine: a plugin sees the SDK only. Checked once the directory is complete.
  cmake_language(EVAL CODE "cmake_language(DEFER CALL _tandem_plugin_check_links [[${target}]])")

  if(arg_INSTALL)
    if(NOT DEFINED TANDEM_PLUGIN_INSTALL_DIR)
      set(TANDEM_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/tandem/plugins")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${TANDEM_PLUGIN_INSTALL_DIR}")
  endif()

  if(NOT arg_NO_CONFORMANCE AND TARGET tandem::conformance AND (BUILD_TESTING OR TANDEM_BUILD_TESTS))
    set(main_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_conformance_main.cpp")
    file(WRITE "${main_file}.in"
      "#include <tandem/conformance/conformance.hpp>\n"
      "int main(int argc, char** argv) { return tandem::conformance::main(argc, argv); }\n")
    configure_file("${main_file}.in" "${main_file}" COPYONLY)
    add_executable(${target}_conformance "${main_file}")
    target_link_libraries(${target}_conformance PRIVATE tandem::conformance)
    add_dependencies(${target}_conformance ${target})
    set(args "--plugin=$<TARGET_FILE:${target}>")
    if(arg_CONFORMANCE_CONFIG)
      get_filename_component(cfg "${arg_CONFORMANCE_CONFIG}" ABSOLUTE)
      list(APPEND args "--config=${cfg}")
    endif()
    foreach(bad IN LISTS arg_CONFORMANCE_BAD_CONFIGS)
      get_filename_component(bad_abs "${bad}" ABSOLUTE)
      list(APPEND args "--bad-config=${bad_abs}")
    endforeach()
    add_test(NAME ${target}_conformance COMMAND ${target}_conformance ${args})
    set_tests_properties(${target}_conformance PROPERTIES LABELS "conformance")
    if(arg_CONFORMANCE_WILL_FAIL)
      # For deliberately broken plugins: the kit must reject them.
      set_tests_properties(${target}_conformance PROPERTIES WILL_FAIL TRUE)
    endif()
  endif()

  if(arg_TESTS AND TARGET tandem::conformance AND (BUILD_TESTING OR TANDEM_BUILD_TESTS))
    find_package(GTest REQUIRED)
    add_executable(${target}_test ${arg_TESTS})
    target_link_libraries(${target}_test PRIVATE tandem::conformance GTest::gtest_main)
    target_compile_definitions(${target}_test PRIVATE PLUGIN_FILE="$<TARGET_FILE:${target}>")
    add_dependencies(${target}_test ${target})
    add_test(NAME ${target}_test COMMAND ${target}_test)
    if(COMMAND tandem_warnings)
      tandem_warnings(${target}_test)
    endif()
  endif()
endfunction()

# tandem_plugin_data(<target> <folder> FILES <file>... [INSTALL])
#
# A plugin's data files (language files, lexicons) copied into <folder>/ next to the built library, so that
# the plugin finds them from its own location (plugins/common/library_dir.hpp), and, with INSTALL, installed
# into <folder>/ next to the installed library. The copies follow the sources at every build.
function(tandem_plugin_data target folder)
  cmake_parse_arguments(PARSE_ARGV 2 arg "INSTALL" "" "FILES")
  get_target_property(lib_dir ${target} LIBRARY_OUTPUT_DIRECTORY)
  if(NOT lib_dir)
    set(lib_dir "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set(out "${lib_dir}/${folder}")
  set(copies)
  foreach(f IN LISTS arg_FILES)
    get_filename_component(name "${f}" NAME)
    add_custom_command(OUTPUT "${out}/${name}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${out}"
      COMMAND ${CMAKE_COMMAND} -E copy_if_different "${f}" "${out}/${name}"
      DEPENDS "${f}" COMMENT "${folder} data ${name}")
    list(APPEND copies "${out}/${name}")
  endforeach()
  add_custom_target(${target}_data DEPENDS ${copies})
  add_dependencies(${target} ${target}_data)
  if(arg_INSTALL)
    if(NOT DEFINED TANDEM_PLUGIN_INSTALL_DIR)
      set(TANDEM_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/tandem/plugins")
    endif()
    install(FILES ${arg_FILES} DESTINATION "${TANDEM_PLUGIN_INSTALL_DIR}/${folder}")
  endif()
endfunction()

function(_tandem_plugin_check_links target)
  get_target_property(libs ${target} LINK_LIBRARIES)
  foreach(lib IN LISTS libs)
    if(lib MATCHES "^tandem::engine$|^tandem_engine$|^tandem::conformance$")
      message(FATAL_ERROR "tandem_add_plugin(${target}): a plugin links tandem::sdk only, not ${lib}")
    endif()
  endforeach()
endfunction()
