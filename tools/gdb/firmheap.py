# firmheap.py: GDB commands that read firmheap's heaps on a stopped target.
#
#   (gdb) source tools/gdb/firmheap.py
#   (gdb) fh-stats  [HEAP]          what fh_get_stats reports, as fh_dump prints it
#   (gdb) fh-map    [HEAP] [CELL]   fh_dump's bar map (CELL bytes per character)
#   (gdb) fh-blocks [HEAP]          every block fh_walk reports, and what it is
#
# HEAP is any expression for an fh_heap * (or an address); without it, or
# as `default`, every region of the default heap.
#
# How it reads a heap. A heap is an fh_heap instance (src/heap_internal.h)
# at the start of its region, then the page map: one 32-bit word per
# 256-byte page of the area [page0, pend), at pw_base + 4 * page. The
# instance's fields, their offsets and sizes, the node layout of the free
# lists and the page types (PG_NONE..PG_SLAB) come from the ELF's debug
# info, so 32- and 64-bit targets and a reordered struct need nothing here.
# The slab classes come from the target's own constant table, fh_tab. What
# debug info cannot carry (macros: the page size and the word's bit fields)
# is stated once below, next to the header line it mirrors; the gdb-test
# suite fails if one of them goes wrong.
#
# The page map is read in one go; the map is then walked block by block as
# fh_walk does (a free block, a large run, a slab whose first word holds its
# free-object bitmap), and the free lists are followed node by node as
# fh_get_stats does. The default heap's regions are found through
# src/default_heap.c's own statics (regions, nr_regions, linker_tried).
#
# It only reads target memory and never calls a target function: the
# target may be stopped in a fault handler with the heap half-updated. A
# page word that starts no valid block is reported (which page, what it
# holds, why) as a "corrupt" line, and the walk goes on at the next page
# that is not inside that block; a free list that leaves the heap is cut
# there and reported. Errors (no debug info, no target, a heap not set up
# yet) are one line, not a Python traceback.

import struct

import gdb

# src/heap_internal.h: "#define FH_PAGE_SHIFT 8u" (pages of 256 bytes).
PAGE_SHIFT = 8
# src/heap_internal.h, the page word: "bits 0-1 type", "bits 2-7 field",
# "bits 8-31 data" ("#define FH_DATA_SHIFT 8u").
TYPE_MASK = 0x3
FIELD_SHIFT = 2
FIELD_MASK = 0x3F
DATA_SHIFT = 8
WORD_BYTES = 4
# src/diag_dump.c: "#define FH_DUMP_COLS 64u", the bar's width when fh_dump
# chooses the cell.
DUMP_COLS = 64

LEGEND = "legend: '#' used, '.' free, '+' both, ' ' neither, '!' corrupt page word"


class Fail(Exception):
    """A clear, one-line reason the command cannot go on."""


# ---- what the target and its debug info say ---------------------------------


def _type(name):
    try:
        t = gdb.lookup_type(name).strip_typedefs()
    except gdb.error:
        raise Fail("no debug info for %s: load the firmware's ELF (`file FW.elf`), "
                   "with firmheap built with -g (make cross and CMake do)" % name)
    if not t.fields():
        raise Fail("%s is only declared in the debug info: firmheap's objects "
                   "were built without -g" % name)
    return t


def _enum(name):
    try:
        return int(gdb.parse_and_eval(name))
    except gdb.error:
        raise Fail("no %s in the debug info (src/heap_internal.h's page types): "
                   "firmheap built without -g, or a core this script does not know" % name)


def _offset(t, field):
    for f in t.fields():
        if f.name == field:
            return f.bitpos // 8
    raise Fail("%s has no field %r: the heap's layout changed, tools/gdb/firmheap.py "
               "needs the same change" % (t, field))


class Target:
    """Reads of the stopped target's memory, in its byte order."""

    def __init__(self):
        inf = gdb.selected_inferior()
        if inf is None or inf.pid == 0:
            raise Fail("no target: connect first (target remote ...)")
        thread = gdb.selected_thread()
        if thread is not None and thread.is_running():
            raise Fail("the target is running: stop it first")
        self.inf = inf
        self.ptr_bytes = gdb.lookup_type("void").pointer().sizeof
        self.ptr_mask = (1 << (8 * self.ptr_bytes)) - 1
        big = "big endian" in gdb.execute("show endian", to_string=True)
        self.order = ">" if big else "<"

    def read(self, addr, n, what):
        try:
            return bytes(self.inf.read_memory(addr & self.ptr_mask, n))
        except gdb.MemoryError:
            raise Fail("cannot read %s: %d bytes at 0x%x" % (what, n, addr & self.ptr_mask))

    def words(self, addr, n, what):
        return list(struct.unpack("%s%dI" % (self.order, n),
                                  self.read(addr, n * WORD_BYTES, what)))

    def pointer(self, addr, what):
        code = {4: "I", 8: "Q"}[self.ptr_bytes]
        return struct.unpack(self.order + code, self.read(addr, self.ptr_bytes, what))[0]


class Layout:
    """Everything about the heap's layout that the debug info and fh_tab give."""

    def __init__(self):
        heap = _type("struct fh_heap")
        node = _type("struct fh_node")
        self.heap_type = heap
        self.fields = [f.name for f in heap.fields()]
        self.free_area_off = _offset(heap, "free_area")
        self.node_bytes = node.sizeof
        self.next_off = _offset(node, "next")
        self.pg = {n: _enum(n) for n in ("PG_NONE", "PG_FREE", "PG_HEAD", "PG_SLAB")}
        try:
            table = gdb.parse_and_eval("fh_tab")["classes"]
        except gdb.error:
            raise Fail("no fh_tab (the slab classes, src/slab.c) in this program: "
                       "is firmheap linked, and built with -g?")
        lo, hi = table.type.range()
        try:
            self.classes = [(int(table[c]["size"]), int(table[c]["order"]), int(table[c]["count"]))
                            for c in range(lo, hi + 1)]
        except gdb.MemoryError:
            raise Fail("cannot read fh_tab, the slab classes, from the target")


# ---- one heap ---------------------------------------------------------------


class Unit:
    """One line of a walk: what fh_walk reports, plus what it is."""

    def __init__(self, state, addr, size, what):
        self.state, self.addr, self.size, self.what = state, addr, size, what


class Heap:
    def __init__(self, tgt, lay, addr, label):
        if addr == 0:
            raise Fail("heap=0x0: a NULL heap (fh_init or fh_default gave none?)")
        self.tgt, self.lay, self.addr, self.label = tgt, lay, addr, label
        v = gdb.Value(addr).cast(lay.heap_type.pointer()).dereference()
        try:
            f = {name: int(v[name]) for name in lay.fields
                 if name not in ("partial", "free_area")}
        except gdb.MemoryError:
            raise Fail("heap=0x%x: cannot read the instance there" % addr)
        self.f = f
        self.page0, self.pend = f["page0"], f["pend"]
        self.pages = self.pend - self.page0
        # A large run's length must fit the word's data bits (the area's limit,
        # FH_AREA_PAGES_MAX); a block of order_max must fit the area.
        most = (1 << (32 - DATA_SHIFT)) - 1
        if not (0 < self.pages <= most and (1 << min(f["order_max"], 32)) <= self.pages):
            raise Fail("heap=0x%x is not a set-up fh_heap: page0=0x%x pend=0x%x order_max=%d "
                       "(not initialised yet, or overwritten)"
                       % (addr, self.page0, self.pend, f["order_max"]))
        # The instance sits in its region before the area, so the area starts
        # within the region's bookkeeping bytes after it: a wrong page size
        # puts it elsewhere.
        area = self.page0 << PAGE_SHIFT
        if not (addr < area and area - addr <= f["meta_bytes"]):
            raise Fail("heap=0x%x: with %d-byte pages its area would start at 0x%x, not within "
                       "its %d bookkeeping bytes after the instance: PAGE_SHIFT in "
                       "tools/gdb/firmheap.py does not match this firmware's FH_PAGE_SHIFT, "
                       "or the instance is overwritten"
                       % (addr, 1 << PAGE_SHIFT, area, f["meta_bytes"]))
        self.map = tgt.words(f["pw_base"] + self.page0 * WORD_BYTES, self.pages,
                             "heap=0x%x's page map" % addr)

    def title(self, command):
        return "%s heap=0x%x%s\n" % (command, self.addr, " (%s)" % self.label if self.label else "")

    def word(self, page):
        return self.map[page - self.page0]

    def block(self, w):
        """Pages of the block whose first word is w, and what it is; or 0 and why not."""
        pg = self.lay.pg
        kind, field, data = w & TYPE_MASK, (w >> FIELD_SHIFT) & FIELD_MASK, w >> DATA_SHIFT
        if kind == pg["PG_FREE"]:
            if data or field > self.f["order_max"]:
                return 0, "FREE of order %d with data 0x%x (order_max %d)" % (
                    field, data, self.f["order_max"])
            return 1 << field, "block order=%d" % field
        if kind == pg["PG_HEAD"]:
            if data == 0:
                return 0, "HEAD of a run of 0 pages"
            return data, "run pages=%d" % data
        if kind == pg["PG_SLAB"]:
            if field >= len(self.lay.classes):
                return 0, "SLAB of class %d, and there are %d classes" % (
                    field, len(self.lay.classes))
            return 1 << self.lay.classes[field][1], None
        return 0, "NONE (inside a block) where a block should start"

    def walk(self):
        """Yields a Unit per block, slab object and slab tail, in address order."""
        p = self.page0
        while p < self.pend:
            w = self.word(p)
            n, what = self.block(w)
            if n and n > self.pend - p:
                n, what = 0, "%s runs %d pages past the heap's end" % (what, n - (self.pend - p))
            a = p << PAGE_SHIFT
            if n == 0:
                q = p + 1
                while q < self.pend and self.word(q) == self.lay.pg["PG_NONE"]:
                    q += 1
                yield Unit("corrupt", a, (q - p) << PAGE_SHIFT,
                           "page=0x%x word=0x%08x: %s; %d page(s) after it skipped"
                           % (p, w, what, q - p - 1))
                p = q
                continue
            if (w & TYPE_MASK) == self.lay.pg["PG_SLAB"]:
                c = (w >> FIELD_SHIFT) & FIELD_MASK
                size, _, count = self.lay.classes[c]
                free_map = w >> DATA_SHIFT
                for i in range(count):
                    used = not (free_map >> i) & 1
                    yield Unit("used" if used else "free", a + i * size, size,
                               "slab class=%d object=%d" % (c, i))
                if count * size < n << PAGE_SHIFT:
                    yield Unit("free", a + count * size, (n << PAGE_SHIFT) - count * size,
                               "slab-tail class=%d" % c)
            else:
                used = (w & TYPE_MASK) == self.lay.pg["PG_HEAD"]
                yield Unit("used" if used else "free", a, n << PAGE_SHIFT, what)
            p += n

    def free_lists(self, warn):
        """Blocks on each order's free list, counted as fh_get_stats counts them."""
        counts = []
        for k in range(self.f["order_max"] + 1):
            head = self.addr + self.lay.free_area_off + k * self.lay.node_bytes
            what = "free list of order %d" % k
            node, n = self.tgt.pointer(head + self.lay.next_off, what), 0
            while node != head and n <= self.pages:
                page = node >> PAGE_SHIFT
                expect = self.lay.pg["PG_FREE"] | k << FIELD_SHIFT
                if not self.page0 <= page < self.pend:
                    warn("%s: node 0x%x lies outside the heap; list cut there" % (what, node))
                    break
                if node & ((1 << PAGE_SHIFT) - 1) or self.word(page) != expect:
                    warn("%s: node 0x%x does not start a free block of order %d "
                         "(page 0x%x holds 0x%08x)" % (what, node, k, page, self.word(page)))
                n += 1
                node = self.tgt.pointer(node + self.lay.next_off, what)
            counts.append(n)
        return counts


# ---- which heaps ------------------------------------------------------------


def _default_static(name):
    """A static of src/default_heap.c (there may be others of that name)."""
    for sym in gdb.lookup_static_symbols(name):
        if sym.symtab is not None and sym.symtab.filename.endswith("default_heap.c"):
            return sym.value()
    return None


def default_heaps():
    regions = _default_static("regions")
    if regions is None:
        bump = _default_static("default_bump")
        if bump is not None:
            raise Fail("the default heap runs on the bump allocator (FH_BACKEND_BUMP=1): "
                       "start=0x%x top=0x%x end=0x%x; these commands read buddy heaps"
                       % (int(bump["start"]), int(bump["top"]), int(bump["end"])))
        raise Fail("no default heap in the debug info (src/default_heap.c not linked, or "
                   "built without -g): name a heap, e.g. fh-stats my_heap")
    try:
        count = _default_static("nr_regions")
        if count is None:
            raise Fail("src/default_heap.c has no nr_regions: the default heap changed, "
                       "tools/gdb/firmheap.py needs the same change")
        count = int(count)
        tried = _default_static("linker_tried")
        tried = tried is None or bool(tried)
        size = regions.type.range()[1] + 1
        if count == 0 and not tried:
            raise Fail("the default heap is not set up yet: nothing has used it "
                       "(fh_default_init sets it up early)")
        if count == 0:
            raise Fail("the default heap has no region: [__heap_start, __heap_end) is empty "
                       "or too small (FH_ERR_NO_HEAP / FH_ERR_HEAP_TOO_SMALL) and no "
                       "fh_add_region succeeded")
        if count > size:
            raise Fail("the default heap's nr_regions is %d, its table holds %d: overwritten?"
                       % (count, size))
        return [(int(regions[i]), "default heap, region %d" % i) for i in range(count)]
    except gdb.MemoryError:
        raise Fail("cannot read the default heap's region table from the target")


def heap_address(expr, lay):
    try:
        v = gdb.parse_and_eval(expr)
    except gdb.error as e:
        raise Fail("HEAP %r: %s" % (expr, e))
    t = v.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_STRUCT:
        v = v.address
    elif t.code not in (gdb.TYPE_CODE_PTR, gdb.TYPE_CODE_INT):
        raise Fail("HEAP %r has type %s: not an fh_heap * or an address" % (expr, v.type))
    try:
        return int(v.cast(lay.heap_type.pointer()))
    except gdb.error as e:
        raise Fail("HEAP %r: %s" % (expr, e))


def each_heap(cmd, expr, show):
    """Calls show(Heap) for HEAP (an expression), or for each region of the
    default heap; a region that cannot be read is reported and the others
    still shown."""
    lay = Layout()
    tgt = Target()
    if expr is not None and expr != "default":
        show(Heap(tgt, lay, heap_address(expr, lay), ""))
        return
    found, bad = default_heaps(), 0
    for addr, label in found:
        try:
            h = Heap(tgt, lay, addr, label)
        except Fail as e:
            gdb.write("%s heap=0x%x (%s): %s\n" % (cmd, addr, label, e))
            bad += 1
            continue
        show(h)
    if bad:
        raise Fail("%d of the default heap's %d regions could not be read (see above)"
                   % (bad, len(found)))


# ---- the three pictures -----------------------------------------------------


def stats_text(h, warn):
    """fh_get_stats, in the two lines fh_dump prints (src/diag_dump.c, put_stats)."""
    f = h.f
    counts = h.free_lists(warn)
    total = h.pages << PAGE_SHIFT
    largest = max([(1 << PAGE_SHIFT) << k for k, n in enumerate(counts) if n] or [0])
    allocs = (f["frees"] + f["live"]) & 0xFFFFFFFF
    line = ("stats total=%d used=%d free=%d peak=%d largest_free=%d bookkeeping=%d live=%d "
            "allocs=%d frees=%d failed=%d rejected=%d\n"
            % (total, f["used"], (total - f["used"]) & h.tgt.ptr_mask, f["peak"], largest,
               f["meta_bytes"], f["live"], allocs, f["frees"], f["failed"], f["rejected"]))
    orders = "".join(" %d:%d" % (k, n) for k, n in enumerate(counts) if n)
    return line + "free_blocks" + orders + "\n"


def map_text(h, cell):
    """fh_dump's map line: cells of `cell` bytes (fh_dump's choice if None)."""
    units = list(h.walk())
    lo = units[0].addr
    hi = units[-1].addr + units[-1].size
    span = hi - lo
    if cell is None:
        cell = 1
        while -(-span // cell) > DUMP_COLS:
            cell *= 2
    bar = [" "] * -(-span // cell)
    for u in units:
        mark = {"used": "#", "free": ".", "corrupt": "!"}[u.state]
        for c in range((u.addr - lo) // cell, (u.addr + u.size - 1 - lo) // cell + 1):
            if u.state == "corrupt" or bar[c] == "!":
                bar[c] = "!"
            else:
                bar[c] = mark if bar[c] in (" ", mark) else "+"
    return "map start=0x%x end=0x%x cell=%d [%s]\n" % (lo, hi, cell, "".join(bar))


def blocks_text(h):
    lines, total = [], {"used": [0, 0], "free": [0, 0], "corrupt": [0, 0]}
    for u in h.walk():
        lines.append("%s addr=0x%x size=%d %s\n" % (u.state, u.addr, u.size, u.what))
        total[u.state][0] += 1
        total[u.state][1] += u.size
    lines.append("end used=%d (%d bytes) free=%d (%d bytes) corrupt=%d\n"
                 % (total["used"][0], total["used"][1], total["free"][0], total["free"][1],
                    total["corrupt"][0]))
    return "".join(lines)


# ---- the commands -----------------------------------------------------------


class _Command(gdb.Command):
    """Shared: argument parsing, and every failure as one line."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        try:
            self.run(gdb.string_to_argv(arg))
        except Fail as e:
            raise gdb.GdbError("%s: %s" % (self.cmd, e))
        except gdb.GdbError:
            raise
        except (gdb.error, gdb.MemoryError) as e:
            raise gdb.GdbError("%s: %s" % (self.cmd, e))
        except Exception as e:  # a bug here: still one line, and which
            raise gdb.GdbError("%s: internal error in tools/gdb/firmheap.py: %s: %s"
                               % (self.cmd, type(e).__name__, e))

    def args(self, argv, most):
        if len(argv) > most:
            raise Fail("too many arguments; usage: %s" % self.usage)
        return argv + [None] * (most - len(argv))


class FhStats(_Command):
    """fh-stats [HEAP]: a heap's statistics, as fh_get_stats reports them.

Prints fh_dump's two statistics lines: total, used, free, peak, largest
free block, bookkeeping bytes, live allocations, allocations, frees,
failed allocations, rejected frees; then the free blocks per order
(order:count). HEAP is an expression for an fh_heap *; without it (or
`default`), every region of the default heap. Reads target memory only."""

    cmd, usage = "fh-stats", "fh-stats [HEAP]"

    def __init__(self):
        super().__init__(self.cmd)

    def run(self, argv):
        (expr,) = self.args(argv, 1)
        each_heap(self.cmd, expr, self.show)

    def show(self, h):
        warnings = []
        text = stats_text(h, warnings.append)
        gdb.write(h.title(self.cmd) + text + "".join("warning: %s\n" % w for w in warnings))


class FhMap(_Command):
    """fh-map [HEAP] [CELL]: fh_dump's bar map of a heap.

One character per CELL bytes from the first block to the end of the last:
'#' all used, '.' all free, '+' both, ' ' neither, '!' a page word that
starts no valid block (see fh-blocks). Without CELL, the smallest power of
two that fits the heap in 64 characters, as fh_dump chooses. HEAP is an
expression for an fh_heap *; without it (or `default`), every region of
the default heap: `fh-map default 256`."""

    cmd, usage = "fh-map", "fh-map [HEAP] [CELL]"

    def __init__(self):
        super().__init__(self.cmd)

    def run(self, argv):
        expr, cell = self.args(argv, 2)
        if cell is not None:
            try:
                cell = int(gdb.parse_and_eval(cell))
            except gdb.error as e:
                raise Fail("CELL %r: %s" % (cell, e))
            if cell <= 0:
                raise Fail("CELL must be a positive number of bytes")
        each_heap(self.cmd, expr,
                  lambda h: gdb.write(h.title(self.cmd) + map_text(h, cell) + LEGEND + "\n"))


class FhBlocks(_Command):
    """fh-blocks [HEAP]: every block of a heap, in address order, as fh_walk sees them.

One line per live allocation and per free block: its address and usable
size; for a large run its length in pages, for a free buddy block its order,
for a slab object its class and index, "slab-tail" for a slab's bytes after
its last object. A "corrupt" line names a page whose word starts no valid
block (the page, its word, why); the walk goes on after it. HEAP is an
expression for an fh_heap *; without it (or `default`), every region of the
default heap."""

    cmd, usage = "fh-blocks", "fh-blocks [HEAP]"

    def __init__(self):
        super().__init__(self.cmd)

    def run(self, argv):
        (expr,) = self.args(argv, 1)
        each_heap(self.cmd, expr, lambda h: gdb.write(h.title(self.cmd) + blocks_text(h)))


FhStats()
FhMap()
FhBlocks()
