const char gmemsim_shims_version[] = "0.1.0";
