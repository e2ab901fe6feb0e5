# One interface target carries the project's warning flags; every first-party target links it.
add_library(clusterdeck_warnings INTERFACE)
target_compile_options(clusterdeck_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wformat=2)
