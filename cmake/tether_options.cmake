# Compiler settings shared by every target: warnings on, OpenSSL's deprecated API off, Asio and
# Beast compiled once (separate compilation) instead of in every translation unit that uses them.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

add_library(tether_options INTERFACE)
target_compile_options(tether_options INTERFACE -Wall -Wextra -Wpedantic)
target_compile_definitions(tether_options INTERFACE
  OPENSSL_API_COMPAT=30000
  OPENSSL_NO_DEPRECATED
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
)

if(TETHER_SANITIZE)
  target_compile_options(tether_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(tether_options INTERFACE -fsanitize=address,undefined)
endif()

if(TETHER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TETHER_FUZZ needs clang (use the 'fuzz' preset)")
  endif()
  # Every library is instrumented for coverage; only the fuzz targets link the libFuzzer main.
  target_compile_options(tether_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(tether_options INTERFACE -fsanitize=address,undefined)
endif()
