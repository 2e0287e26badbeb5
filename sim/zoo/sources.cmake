# The bug zoo: registry and the `gmemsim zoo` subcommands.
list(APPEND GMEMSIM_SIM_SOURCES zoo/zoo.c zoo/zoo_cmd.c)
# Where `gmemsim zoo run` finds traces/zoo (GMEMSIM_ZOO_DIR overrides it).
set_source_files_properties(zoo/zoo_cmd.c PROPERTIES COMPILE_DEFINITIONS
  "GMEMSIM_ZOO_DIR=\"${PROJECT_SOURCE_DIR}/traces/zoo\"")
