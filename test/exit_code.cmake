# Runs a command and fails unless it exits with EXPECTED; prints what it wrote.
#   cmake -DEXPECTED=2 -P exit_code.cmake PROGRAM ARGS...
set(command "")
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 0 ${last})
  if(i GREATER 3)  # skip: cmake -DEXPECTED=... -P exit_code.cmake
    list(APPEND command "${CMAKE_ARGV${i}}")
  endif()
endforeach()
execute_process(COMMAND ${command} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT code EQUAL EXPECTED)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECTED}")
endif()
