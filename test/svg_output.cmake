# Runs a command that should write an SVG file and fails unless it exits with 0 and SVG then
# names a file holding an <svg element; prints what the command wrote.
#   cmake -DSVG=out.svg -P svg_output.cmake PROGRAM ARGS...
set(command "")
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 0 ${last})
  if(i GREATER 3)  # skip: cmake -DSVG=... -P svg_output.cmake
    list(APPEND command "${CMAKE_ARGV${i}}")
  endif()
endforeach()
file(REMOVE "${SVG}")  # a file left by an earlier run proves nothing
execute_process(COMMAND ${command} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "exit code ${code}, expected 0")
endif()
if(NOT EXISTS "${SVG}")
  message(FATAL_ERROR "${SVG} was not written")
endif()
file(READ "${SVG}" svg)
string(FIND "${svg}" "<svg" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${SVG} holds no <svg element")
endif()
