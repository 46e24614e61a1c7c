# Shared settings: output dirs, quiet output, warning set for the library.

BUILD   := build
RESULTS := $(BUILD)/results

ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# The library's warning set (DESIGN.md): no exceptions in src/.
LIB_WARN := -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wcast-align \
            -Wundef -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# Freestanding: no libc, no builtins turned into libc calls.
LIB_FREESTANDING := -ffreestanding -fno-builtin -nostdlib \
                    -fno-tree-loop-distribute-patterns
LIB_SRCS := $(wildcard src/*.c)
# Opt-in objects, not part of the archive: a program links them by name,
# e.g. build/<core>/opt/lock_none.o to say "no lock needed".
OPT_SRCS := $(wildcard src/opt/*.c)

# Tests get the plain warning set; they cast a lot on purpose.
TEST_WARN := -Wall -Wextra -Werror

TEST_SUITES :=

# Test sources that only make sense on the host (kept out of QEMU images).
TESTS_HOST_ONLY_SRCS := tests/test_default_bump.c tests/test_default_empty.c
