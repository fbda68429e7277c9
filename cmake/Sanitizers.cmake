# LEADFLOW_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer on every target.
if(LEADFLOW_SANITIZE AND NOT EMSCRIPTEN)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
