# cmake/JsApiExports.cmake — the browser automation API's export list, read from its definitions.
#
# web/js_api.cpp defines every C function JavaScript calls with LEADFLOW_JS_EXPORT at the start of
# a line, followed on that line by the return type, the name and '('. Emscripten's
# -sEXPORTED_FUNCTIONS is built from those lines, so a function is exported exactly when it is
# defined that way. Reading fails (FATAL_ERROR) when
#   - a LEADFLOW_JS_EXPORT line has no readable leadflow_* name, or a name is defined twice;
#   - web/js/leadflow.js calls (by quoted name) a leadflow_* function that is not exported.
#
# Included: leadflow_js_api_exports(OUT_VAR SOURCE JS) sets OUT_VAR to "_name1,_name2,…".
# Script (a CTest check of the native build): cmake -DSOURCE=… -DJS=… -P JsApiExports.cmake

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
    cmake_policy(SET CMP0057 NEW)  # if(… IN_LIST …), as in the project
endif()

function(leadflow_js_api_exports out source js)
    file(STRINGS ${source} lines REGEX "^LEADFLOW_JS_EXPORT ")
    set(names "")
    foreach(line IN LISTS lines)
        # file(STRINGS) splits a line at ';': only the pieces that start a definition count.
        if(NOT line MATCHES "^LEADFLOW_JS_EXPORT ")
            continue()
        endif()
        if(NOT line MATCHES "^LEADFLOW_JS_EXPORT [^(]*[ *&](leadflow_[a-z0-9_]+)\\(")
            message(FATAL_ERROR "${source}: no function name in '${line}': keep the return type, "
                "the leadflow_* name and '(' on the LEADFLOW_JS_EXPORT line")
        endif()
        if(CMAKE_MATCH_1 IN_LIST names)
            message(FATAL_ERROR "${source}: ${CMAKE_MATCH_1} is defined twice")
        endif()
        list(APPEND names ${CMAKE_MATCH_1})
    endforeach()
    if(NOT names)
        message(FATAL_ERROR "${source}: no LEADFLOW_JS_EXPORT definitions found")
    endif()

    file(STRINGS ${js} js_lines REGEX "'leadflow_[a-z0-9_]+'")
    foreach(line IN LISTS js_lines)
        string(REGEX MATCHALL "'leadflow_[a-z0-9_]+'" calls "${line}")
        foreach(call IN LISTS calls)
            string(REPLACE "'" "" called ${call})
            if(NOT called IN_LIST names)
                message(FATAL_ERROR "${js} calls ${called}, which ${source} does not export "
                    "(define it there with LEADFLOW_JS_EXPORT)")
            endif()
        endforeach()
    endforeach()

    list(TRANSFORM names PREPEND "_")
    list(JOIN names "," joined)
    set(${out} ${joined} PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
    leadflow_js_api_exports(exports ${SOURCE} ${JS})
    string(REPLACE "," ";" exported "${exports}")
    list(LENGTH exported n)
    message("check passed: js_api exports (${n} functions, every one leadflow.js calls): ${exports}")
endif()
