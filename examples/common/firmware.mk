# The C examples' shared make rules: sources to objects in $(O) (out of
# tree), one image, and `make run`. In a user's project this is simply the
# rest of their Makefile. The including Makefile sets:
#   SRCS       C and assembly sources, anywhere (object names must differ)
#   CC CFLAGS  how to compile them
#   LDFLAGS LDLIBS   how to link $(O)/firmware.elf (LDLIBS after the objects;
#                    the objects and archives in it are prerequisites)
#   RUN_QEMU   the QEMU command `make run` boots the image with
# EXTRA_CFLAGS and EXTRA_LDFLAGS are added for one-off builds.

O ?= build
OBJS := $(addprefix $(O)/,$(addsuffix .o,$(basename $(notdir $(SRCS)))))
vpath %.c $(sort $(dir $(SRCS)))
vpath %.S $(sort $(dir $(SRCS)))

$(O)/firmware.elf: $(OBJS) $(filter %.o %.a %.ld,$(LDLIBS) $(LDSCRIPT))
	$(CC) $(LDFLAGS) $(EXTRA_LDFLAGS) $(OBJS) $(LDLIBS) -o $@

# -MMD -MP: an object depends on the headers it included, so a changed
# header (firmheap's or the project's) rebuilds what uses it.
$(O)/%.o: %.c | $(O)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@
$(O)/%.o: %.S | $(O)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@
-include $(OBJS:.o=.d)
# And on the makefiles that set their flags.
$(OBJS): $(filter-out %.d,$(MAKEFILE_LIST))
$(O):
	mkdir -p $@

.PHONY: run
run: $(O)/firmware.elf
	$(RUN_QEMU) -nographic -semihosting-config enable=on,target=native -kernel $<
