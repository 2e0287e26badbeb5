const char gmemsim_model_version[] = "0.1.0";
