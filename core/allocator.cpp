// The allocator's settings, read by jemalloc when the program starts; linked into the programs
// (ersim and the benchmarks) only, never into a library. Sanitizer builds do not link jemalloc,
// and there the string goes unused.
//
// A cold start allocates small objects (sessions, timers, routes, messages) by the million;
// jemalloc serves them faster than glibc's allocator (docs/benchmarks.md, "The allocator").
//
// Its heap uses the system's small pages. Transparent huge pages (thp:always) fault in far
// fewer pages, but on the reference machine, a virtual machine, a huge page is slow to fault in
// once the machine has idled a few seconds: 256 MiB took 0.03-0.21 s right after another run
// and 0.38-0.82 s after an idle moment, where small pages take 0.10-0.16 s either way, and a
// 100,000-circuit cold start took 14.8 s with huge pages against 10.4 s without
// (docs/benchmarks.md, "Small pages again"). MALLOC_CONF=thp:always,metadata_thp:always in the
// environment asks for them again: jemalloc reads the environment after this string.

// jemalloc declares this symbol weak and reads it before the first allocation
// (jemalloc(3), "TUNING"); the name is jemalloc's, hence the exemptions.
// NOLINTNEXTLINE(readability-identifier-naming,cppcoreguidelines-avoid-non-const-global-variables)
extern "C" const char* malloc_conf;
// NOLINTNEXTLINE(readability-identifier-naming,cppcoreguidelines-avoid-non-const-global-variables)
const char* malloc_conf = "thp:never,metadata_thp:disabled";
