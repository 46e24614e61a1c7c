# firmheap for your own make-based firmware. In your Makefile:
#
#   FIRMHEAP_DIR  := path/to/firmheap      # this tree (a submodule, a copy)
#   FIRMHEAP_CORE := cortex-m3             # one of mk/cores.txt (make -C $(FIRMHEAP_DIR) cores)
#   FIRMHEAP_LOCK := irq                   # the default heap's lock: irq, none or own
#   include $(FIRMHEAP_DIR)/mk/firmheap.mk
#
# and you get, from the one table of cores:
#   FIRMHEAP_CC          the core's C compiler (arm-none-eabi-gcc, ...)
#   FIRMHEAP_CPU_FLAGS   its CPU flags: compile your code with them too
#   FIRMHEAP_LINK_FLAGS  the same for linking (RISC-V: without "_zicsr", which
#                        GCC 12 maps to no multilib of libgcc or the C library)
#   FIRMHEAP_CFLAGS      -I for firmheap.h, firmheap_diag.h, firmheap_rust.h
#   FIRMHEAP_LDFLAGS     -L for linker/, so your script can INCLUDE heap.ld
#   FIRMHEAP_LIB         build/<core>/libfirmheap.a in the firmheap tree, with
#                        a rule that builds it there (list it after your objects)
#   FIRMHEAP_LOCK_OBJ    the lock FIRMHEAP_LOCK names, an object built the same
#                        way (link it like your own objects); empty for "own":
#                          irq   src/opt/lock_irq.c: interrupts masked (PRIMASK,
#                                mstatus.MIE), nestable, single-core
#                          none  src/opt/lock_none.c: no lock, for firmware in
#                                which only one context ever allocates
#                          own   (the default) your fh_lock/fh_unlock: an RTOS
#                                mutex, arch/riscv/smp/lock.c, ...; with none
#                                at all the link fails naming fh_lock
#   FIRMHEAP_GLUE_NEWLIB, FIRMHEAP_GLUE_PICOLIBC
#                        the C-library glue sources: compile the one for your
#                        C library like your own files and link it as an object
#   FIRMHEAP_FAULT_SRCS  the Cortex-M fault report (arch/arm/fault.c and
#                        fault_entry.S): point your fault vectors at
#                        fw_fault_entry; it needs fw_print() and _exit()
# It also defines CORES and CORE_<core>_CC/_FLAGS/_RUST/_LINK_FLAGS (mk/cores.mk).

ifeq ($(FIRMHEAP_DIR),)
$(error mk/firmheap.mk: set FIRMHEAP_DIR to the firmheap tree before including it)
endif
include $(FIRMHEAP_DIR)/mk/cores.mk
ifeq ($(filter $(FIRMHEAP_CORE),$(CORES)),)
$(error FIRMHEAP_CORE '$(FIRMHEAP_CORE)' is not in $(FIRMHEAP_CORES_TABLE); cores: $(CORES))
endif

FIRMHEAP_CC        := $(CORE_$(FIRMHEAP_CORE)_CC)
FIRMHEAP_CPU_FLAGS := $(CORE_$(FIRMHEAP_CORE)_FLAGS)
FIRMHEAP_LINK_FLAGS := $(CORE_$(FIRMHEAP_CORE)_LINK_FLAGS)
FIRMHEAP_CFLAGS    := -I$(FIRMHEAP_DIR)/include
FIRMHEAP_LDFLAGS   := -L$(FIRMHEAP_DIR)/linker
FIRMHEAP_LIB       := $(FIRMHEAP_DIR)/build/$(FIRMHEAP_CORE)/libfirmheap.a

# The ready locks are src/opt/lock_<name>.c, built beside the archive.
FIRMHEAP_LOCKS := $(patsubst $(FIRMHEAP_DIR)/src/opt/lock_%.c,%,$(wildcard $(FIRMHEAP_DIR)/src/opt/lock_*.c))
FIRMHEAP_LOCK  ?= own
ifeq ($(filter $(FIRMHEAP_LOCK),$(FIRMHEAP_LOCKS) own),)
$(error FIRMHEAP_LOCK '$(FIRMHEAP_LOCK)' is none of: $(FIRMHEAP_LOCKS) own)
endif
FIRMHEAP_LOCK_OBJ := $(if $(filter-out own,$(FIRMHEAP_LOCK)),\
                     $(FIRMHEAP_DIR)/build/$(FIRMHEAP_CORE)/opt/lock_$(FIRMHEAP_LOCK).o)
FIRMHEAP_GLUE_NEWLIB   := $(FIRMHEAP_DIR)/src/glue/newlib.c
FIRMHEAP_GLUE_PICOLIBC := $(FIRMHEAP_DIR)/src/glue/picolibc.c
FIRMHEAP_FAULT_SRCS    := $(FIRMHEAP_DIR)/arch/arm/fault.c $(FIRMHEAP_DIR)/arch/arm/fault_entry.S

# firmheap's own build decides when the archive and the lock are stale.
# These rules must not become the includer's default goal.
firmheap_saved_goal := $(.DEFAULT_GOAL)
.PHONY: firmheap-lib
$(FIRMHEAP_LIB) $(FIRMHEAP_LOCK_OBJ): firmheap-lib
firmheap-lib:
	@$(MAKE) --no-print-directory -C $(FIRMHEAP_DIR) \
	    $(patsubst $(FIRMHEAP_DIR)/%,%,$(FIRMHEAP_LIB) $(FIRMHEAP_LOCK_OBJ))
.DEFAULT_GOAL := $(firmheap_saved_goal)
