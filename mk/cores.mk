# mk/cores.txt, the one table of cores, read into make variables:
#   CORES                 every core's name
#   CORE_<core>_CC        its C compiler
#   CORE_<core>_FLAGS     its CPU flags
#   CORE_<core>_RUST      its first Rust target (empty for none)
#   CORE_<core>_LINK_FLAGS  the CPU flags for linking: GCC 12 maps no
#                         "-march=..._zicsr" to a multilib, so libgcc and
#                         the C libraries are found under the plain name
# Included by mk/lib.mk, and by users' makefiles through mk/firmheap.mk;
# FIRMHEAP_DIR is the firmheap tree (this one: '.').

FIRMHEAP_DIR ?= .
FIRMHEAP_CORES_TABLE := $(FIRMHEAP_DIR)/mk/cores.txt

# awk writes one assignment per row, joined by "@@" since $(shell) folds
# newlines; the CPU flags are the rest of the row after three columns.
define firmheap_newline


endef
$(eval $(subst @@,$(firmheap_newline),$(shell awk '!/^\#/ && NF >= 4 { \
    flags = $$0; sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", flags); \
    rust = $$3 == "-" ? "" : $$3; sub(/,.*/, "", rust); \
    printf "CORES += %s@@CORE_%s_CC := %s@@CORE_%s_FLAGS := %s@@CORE_%s_RUST := %s@@", \
        $$1, $$1, $$2, $$1, flags, $$1, rust }' $(FIRMHEAP_CORES_TABLE))))
$(foreach c,$(CORES),$(eval CORE_$(c)_LINK_FLAGS := $(subst _zicsr,,$(CORE_$(c)_FLAGS))))
ifeq ($(strip $(CORES)),)
$(error $(FIRMHEAP_CORES_TABLE): no cores read)
endif
