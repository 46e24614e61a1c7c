/*
 * Records Lua 5.4 (Debian's liblua5.4) through its lua_Alloc: a scripting
 * layer that loads the base libraries and runs an application script with
 * tables, strings, closures, a coroutine and garbage collection, as a
 * device's script host would, then closes the state (which frees
 * everything).
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>

#include "record.h"

/* Lua's allocator contract: nsize 0 frees; otherwise realloc (ptr may be
 * NULL). osize is Lua's bookkeeping; firmheap does not need it. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        FH_NAME(free)(ptr);
        return NULL;
    }
    return FH_NAME(realloc)(ptr, nsize);
}

static const char script[] =
    "local readings = {}\n"
    "local function avg(t) local s = 0 for _, v in ipairs(t) do s = s + v end return s / #t end\n"
    "local function report(name, t)\n"
    "  return string.format('%s: n=%d avg=%.2f min=%.2f max=%.2f', name, #t, avg(t),\n"
    "    math.min(table.unpack(t)), math.max(table.unpack(t)))\n"
    "end\n"
    "local producer = coroutine.wrap(function()\n"
    "  for i = 1, 400 do coroutine.yield({ch = 'ch' .. (i % 4), v = (i * 37 % 101) / 4}) end\n"
    "end)\n"
    "local lines = {}\n"
    "for round = 1, 8 do\n"
    "  for i = 1, 50 do\n"
    "    local s = producer()\n"
    "    readings[s.ch] = readings[s.ch] or {}\n"
    "    table.insert(readings[s.ch], s.v)\n"
    "  end\n"
    "  local names = {}\n"
    "  for k in pairs(readings) do names[#names + 1] = k end\n"
    "  table.sort(names)\n"
    "  for _, k in ipairs(names) do lines[#lines + 1] = report(k, readings[k]) end\n"
    "  if #lines > 12 then\n"
    "    local joined = table.concat(lines, '\\n')\n"
    "    assert(#joined > 100)\n"
    "    lines = {}\n"
    "  end\n"
    "  if round % 3 == 0 then readings = {} collectgarbage('step') end\n"
    "end\n"
    "local cache = setmetatable({}, {__mode = 'v'})\n"
    "for i = 1, 200 do cache[i] = {i, tostring(i), string.rep('x', i % 32)} end\n"
    "collectgarbage()\n"
    "local words = {}\n"
    "for w in string.gmatch(string.rep('alpha beta gamma delta ', 40), '%a+') do\n"
    "  words[w] = (words[w] or 0) + 1\n"
    "end\n"
    "assert(words.alpha == 40)\n";

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.fht\n", argv[0]);
        return 2;
    }
    rec_start(argv[1]);
    lua_State *L = lua_newstate(l_alloc, NULL);
    if (L == NULL)
        rec_fail("lua_newstate", 0);
    luaL_openlibs(L);
    int s = luaL_dostring(L, script);
    if (s != LUA_OK) {
        fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        rec_fail("the script", s);
    }
    lua_close(L);
    rec_stop();
    return 0;
}
