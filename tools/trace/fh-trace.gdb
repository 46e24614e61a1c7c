# GDB helper for firmheap's RAM trace ring (include/firmheap_trace.h).
#
#   (gdb) source tools/trace/fh-trace.gdb
#   (gdb) fh-trace-dump RING FILE
#
# RING is an expression for the firmware's fh_trace_ring (a variable, or
# *pointer); FILE is written with the bytes the firmware has not read yet,
# in order, both pieces when the ring has wrapped. Until the firmware first
# reads the ring these bytes are the whole stream from its header, so FILE
# is a trace for tools/fh-trace as it is; after reads, append them to what
# the firmware read. Works with any GDB that talks to the target
# (gdb-multiarch with QEMU's -s, or a probe's GDB server).

define fh-trace-dump
  if $argc != 2
    echo usage: fh-trace-dump RING FILE\n
  else
    if $arg0.magic != 0x676e6972
      echo fh-trace-dump: not an initialised fh_trace_ring (magic is not "ring")\n
    else
      set $fh_size = $arg0.size
      set $fh_from = $arg0.tail & ($fh_size - 1)
      set $fh_count = $arg0.head - $arg0.tail
      set $fh_buf = (unsigned char *) $arg0.buf
      # dump takes its addresses as single words: compute them first.
      set $fh_start = $fh_buf + $fh_from
      if $fh_from + $fh_count <= $fh_size
        set $fh_end = $fh_start + $fh_count
        dump binary memory $arg1 $fh_start $fh_end
      else
        set $fh_end = $fh_buf + $fh_size
        dump binary memory $arg1 $fh_start $fh_end
        set $fh_end = $fh_buf + ($fh_from + $fh_count - $fh_size)
        append binary memory $arg1 $fh_buf $fh_end
      end
      printf "fh-trace-dump: %u bytes written, %u records dropped by the ring\n", $fh_count, $arg0.dropped
    end
  end
end

document fh-trace-dump
fh-trace-dump RING FILE: write the unread bytes of firmheap's trace ring RING
(an fh_trace_ring) to FILE, oldest first. See tools/trace/fh-trace.gdb.
end
