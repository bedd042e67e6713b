// The compiled parts of Asio, Asio SSL and Beast, built once for the whole project. Every
// target is compiled with BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION
// (cmake/tether_options.cmake), so https_server.cpp and https_client.cpp instantiate only the
// templates they use, and the non-template code lives here instead of in each of them.

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
