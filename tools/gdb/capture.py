# capture.py: gdb-side half of tools/gdb/test-gdb (not for users).
#
#   (gdb) capture NAME COMMAND...
#
# runs COMMAND and writes its output to $FH_GDB_WORK/NAME.txt, under a
# first line "ok", or "error" followed by the error's text: the runner
# compares files, not a terminal stream where stdout and stderr interleave.
# The firmware's exit status, when it exits, goes to $FH_GDB_WORK/exit.txt.

import os

import gdb

WORK = os.environ["FH_GDB_WORK"]


def _write(name, text):
    with open(os.path.join(WORK, name + ".txt"), "w") as f:
        f.write(text)


class Capture(gdb.Command):
    def __init__(self):
        super().__init__("capture", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        name, _, command = arg.partition(" ")
        try:
            _write(name, "ok\n" + gdb.execute(command, to_string=True))
        except gdb.error as e:
            _write(name, "error\n%s\n" % e)


def _exited(event):
    code = getattr(event, "exit_code", None)
    _write("exit", "%s\n" % ("unknown" if code is None else code))


Capture()
gdb.events.exited.connect(_exited)
