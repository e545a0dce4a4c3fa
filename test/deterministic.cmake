# One scenario of several runs, three times: one thread, one thread again, two threads. The JSON
# documents must be byte-identical.
#   cmake -DERSIM=ersim -DSCENARIO=s.yaml -DOUT=prefix -P deterministic.cmake
foreach(variant IN ITEMS 1 1-again 2)
  string(REGEX REPLACE "-again$" "" threads ${variant})
  execute_process(COMMAND ${ERSIM} run ${SCENARIO} --json --threads ${threads}
                  RESULT_VARIABLE code OUTPUT_FILE ${OUT}-${variant}.json ERROR_VARIABLE err)
  if(code GREATER 1)
    message(FATAL_ERROR "${err}ersim run exited ${code}")
  endif()
endforeach()
foreach(variant IN ITEMS 1-again 2)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}-1.json ${OUT}-${variant}.json
                  RESULT_VARIABLE differ)
  if(differ)
    message(FATAL_ERROR "the JSON of run ${variant} differs from the first")
  endif()
endforeach()
