# Warnings and the floating-point rules that keep native and WebAssembly results identical
# (docs/development.md#style): no fused multiply-add contraction, no fast-math, no -march=native.
add_library(leadflow_options INTERFACE)
target_compile_options(leadflow_options INTERFACE
    -Wall -Wextra -Wpedantic -Wno-unused-parameter
    -ffp-contract=off -fno-fast-math)
