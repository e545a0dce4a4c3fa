# Runs one scenario with its own seed and compares its trace with the golden one; the scenario's
# expectations must hold too (exit 0).
#   cmake -DERSIM=ersim -DSCENARIO=scenarios/x.yaml -DGOLDEN=test/golden/x.jsonl -DOUT=x.jsonl
#         -P check.cmake
execute_process(COMMAND ${ERSIM} run ${SCENARIO} --threads 1 --trace ${OUT}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "${out}${err}ersim run exited ${code}, expected 0")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${GOLDEN} RESULT_VARIABLE differ)
if(differ)
  execute_process(COMMAND diff -u ${GOLDEN} ${OUT} OUTPUT_VARIABLE diff)
  message(FATAL_ERROR "the trace differs from ${GOLDEN}:\n${diff}\n"
                      "If the change is intended: test/golden/regenerate.sh (docs/scenario.md)")
endif()
