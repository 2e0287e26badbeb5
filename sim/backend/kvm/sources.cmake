# The real /dev/kvm backend (paths relative to sim/).
set(GMEMSIM_KVM_BACKEND_SOURCES
  backend/kvm/kvm_util.c
  backend/kvm/kvm_guest.c
  backend/kvm/kvm_hostmem.c
  backend/kvm/kvm_backend.c
  backend/kvm/kvm_caps.c
)
list(APPEND GMEMSIM_SIM_SOURCES ${GMEMSIM_KVM_BACKEND_SOURCES})

# The same sources as a stand-alone library for the kvm tests and the kvm
# benchmark: they need nothing else from sim/ or model/, and this keeps them
# building while other parts of gmemsim_sim are in flux.
list(TRANSFORM GMEMSIM_KVM_BACKEND_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/
     OUTPUT_VARIABLE _gmemsim_kvm_srcs)
add_library(gmemsim_kvm_backend STATIC ${_gmemsim_kvm_srcs})
target_include_directories(gmemsim_kvm_backend PUBLIC
  ${CMAKE_CURRENT_SOURCE_DIR}
  ${CMAKE_CURRENT_SOURCE_DIR}/../kernel-shims/include)
target_link_libraries(gmemsim_kvm_backend PUBLIC Threads::Threads)
