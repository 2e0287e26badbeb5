add_executable(gmemsim ${CMAKE_CURRENT_LIST_DIR}/main.c)
target_link_libraries(gmemsim PRIVATE gmemsim_sim)
