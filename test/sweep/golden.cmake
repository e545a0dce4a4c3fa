# Sweeps one scenario with its sweep block, on one thread: its expectations must hold (exit 0)
# and the text report must be exactly the golden one (test/sweep/regenerate.sh rewrites them).
#   cmake -DERSIM=ersim -DSCENARIO=scenarios/sweep-x.yaml -DGOLDEN=test/sweep/golden/sweep-x.txt
#         -DOUT=sweep-x.txt -P golden.cmake
execute_process(COMMAND ${ERSIM} sweep ${SCENARIO} --threads 1 -q
                RESULT_VARIABLE code OUTPUT_FILE ${OUT} ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  file(READ ${OUT} out)
  message(FATAL_ERROR "${out}${err}ersim sweep exited ${code}, expected 0")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${GOLDEN} RESULT_VARIABLE differ)
if(differ)
  execute_process(COMMAND diff -u ${GOLDEN} ${OUT} OUTPUT_VARIABLE diff)
  message(FATAL_ERROR "the sweep's report differs from ${GOLDEN}:\n${diff}\n"
                      "If the change is intended: test/sweep/regenerate.sh (docs/sweep.md)")
endif()
