# The conformance corpus (traces/conformance, spec section 4 rows this host
# supports) on both backends, label kvm:
#   kvm_diff_<trace>   gmemsim diff: the model (host's profile) and /dev/kvm
#                      agree on every call (exit 0; 77 = skip without
#                      /dev/kvm or a capability the trace needs);
#   kvm_model_<trace>  gmemsim run on the model: every expectation holds.
# test_kvm_diff proves diff reports a deliberately switched model result.
file(GLOB _gmemsim_conf_traces ${CMAKE_SOURCE_DIR}/traces/conformance/*.trace)
if(TARGET gmemsim)
  foreach(tr ${_gmemsim_conf_traces})
    get_filename_component(_n ${tr} NAME_WE)
    add_test(NAME kvm_diff_${_n} COMMAND gmemsim diff ${tr})
    add_test(NAME kvm_model_${_n} COMMAND gmemsim run ${tr} -q)
    set_tests_properties(kvm_diff_${_n} kvm_model_${_n} PROPERTIES
                         LABELS kvm TIMEOUT 60 SKIP_RETURN_CODE 77
                         ENVIRONMENT "CK_FORK=no")
  endforeach()
endif()

gmemsim_add_test(NAME test_kvm_diff
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/kvm/test_kvm_diff.c
  LIBS gmemsim_sim
  DEFS GMEMSIM_CONFORMANCE_DIR="${CMAKE_SOURCE_DIR}/traces/conformance"
  LABELS kvm
  TIMEOUT 60)
