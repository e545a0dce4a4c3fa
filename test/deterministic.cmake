# Runs one command three times, adding --threads 1, --threads 1 again and --threads 2: what it
# writes on standard output must be byte-identical. The command may exit 0 or 1 (an expectation
# failed: the output is still compared), not more.
#   cmake -DOUT=prefix -P deterministic.cmake PROGRAM ARGS...
#   (writes prefix-1.out, prefix-1-again.out, prefix-2.out)
set(command "")
set(after_script FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 0 ${last})
  if(after_script)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "-P")
    math(EXPR script "${i} + 1")
  elseif(DEFINED script AND i EQUAL script)  # the script itself: what follows is the command
    set(after_script TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "usage: cmake -DOUT=prefix -P deterministic.cmake PROGRAM ARGS...")
endif()
foreach(variant IN ITEMS 1 1-again 2)
  string(REGEX REPLACE "-again$" "" threads ${variant})
  execute_process(COMMAND ${command} --threads ${threads}
                  RESULT_VARIABLE code OUTPUT_FILE ${OUT}-${variant}.out ERROR_VARIABLE err)
  if(NOT code MATCHES "^[01]$")
    message(FATAL_ERROR "${err}${command} --threads ${threads} exited ${code}")
  endif()
endforeach()
foreach(variant IN ITEMS 1-again 2)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}-1.out ${OUT}-${variant}.out
                  RESULT_VARIABLE differ)
  if(differ)
    execute_process(COMMAND diff ${OUT}-1.out ${OUT}-${variant}.out OUTPUT_VARIABLE diff)
    message(FATAL_ERROR "the output of ${OUT}-${variant}.out differs from the first run's "
                        "(${OUT}-1.out):\n${diff}")
  endif()
endforeach()
