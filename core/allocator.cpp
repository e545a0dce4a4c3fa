// The allocator's settings, read by jemalloc when the program starts; linked into the programs
// (ersim and the benchmarks) only, never into a library. Sanitizer builds do not link jemalloc,
// and there the string goes unused.
//
// A cold start allocates small objects (sessions, timers, routes, messages) by the million and
// touches every page of its heap once: with glibc's allocator and 4 KiB pages, a 10,000-circuit
// cold start took 77,000 page faults, a fifth of its time (docs/benchmarks.md, "The
// allocator"). jemalloc with transparent huge pages for the heap and for its own metadata takes
// about 2,000. They are asked for with madvise(MADV_HUGEPAGE), so a kernel whose THP mode is
// "never" simply gives small pages.

// jemalloc declares this symbol weak and reads it before the first allocation
// (jemalloc(3), "TUNING"); the name is jemalloc's, hence the exemptions.
// NOLINTNEXTLINE(readability-identifier-naming,cppcoreguidelines-avoid-non-const-global-variables)
extern "C" const char* malloc_conf;
// NOLINTNEXTLINE(readability-identifier-naming,cppcoreguidelines-avoid-non-const-global-variables)
const char* malloc_conf = "thp:always,metadata_thp:always";
