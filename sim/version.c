const char gmemsim_sim_version[] = "0.1.0";
