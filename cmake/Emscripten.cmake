# WebAssembly build settings. Exceptions use native Wasm exception handling (-fwasm-exceptions):
# the JSON codec throws internally, and JavaScript-based exceptions (-fexceptions) send every
# call inside a try block through a JavaScript trampoline, which makes the simulator's hot loop
# several times slower. Compile and link flags must agree.
add_compile_options(-fwasm-exceptions)
add_link_options(-fwasm-exceptions -sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=4194304)

# Command-line programs and test binaries that run under node: real files via NODERAWFS.
function(leadflow_node_program target)
    target_link_options(${target} PRIVATE -sNODERAWFS=1 -sEXIT_RUNTIME=1 -sENVIRONMENT=node)
    set_target_properties(${target} PROPERTIES SUFFIX ".js")
endfunction()
