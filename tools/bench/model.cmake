add_executable(model_bench ${CMAKE_CURRENT_LIST_DIR}/model_bench.c)
target_link_libraries(model_bench PRIVATE gmemsim_sim)
add_executable(replay_bench ${CMAKE_CURRENT_LIST_DIR}/replay_bench.c)
target_link_libraries(replay_bench PRIVATE gmemsim_sim)
