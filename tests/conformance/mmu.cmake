# tests/conformance: x86 MMU model tests (mmu_*.c, x86_*.c).
# Unit tests compile the arch sources directly with stubs of the generic
# side (mmu_stubs.c), so they do not depend on virt/kvm; gmemsim_model is
# linked only for the xarray and the shims.
set(GMEMSIM_MMU_ARCH_SRCS
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/x86.c
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/svm/sev.c
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/vmx/tdx.c
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/mmu/mmu.c
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/mmu/tdp_mmu.c
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/mmu/page_fault.c
  ${CMAKE_SOURCE_DIR}/model/arch/x86/kvm/mmu/guest_access.c)

gmemsim_add_test(NAME mmu_unit_lpage
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_unit_lpage.c
          ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_stubs.c ${GMEMSIM_MMU_ARCH_SRCS}
  LIBS gmemsim_model gmemsim_shims LABELS unit TIMEOUT 60)
gmemsim_add_test(NAME mmu_unit_fault
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_unit_fault.c
          ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_stubs.c ${GMEMSIM_MMU_ARCH_SRCS}
  LIBS gmemsim_model gmemsim_shims LABELS unit TIMEOUT 60)

# Conformance rows through the model backend (conf_util, label conformance).
# gmemsim_conf (conformance.cmake) carries conf_util and the model backend.
if(TARGET gmemsim_conf)
  gmemsim_add_test(NAME mmu_conf
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_conf.c
    LIBS gmemsim_conf LABELS conformance TIMEOUT 120)
endif()

# Races under the deterministic scheduler (stub generic side + sim/sched).
gmemsim_add_test(NAME mmu_race
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_race.c
          ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mmu_stubs.c ${GMEMSIM_MMU_ARCH_SRCS}
  LIBS gmemsim_sim gmemsim_model gmemsim_shims LABELS unit TIMEOUT 300)
