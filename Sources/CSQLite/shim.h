#ifndef CREDFOLIO_CSQLITE_SHIM_H
#define CREDFOLIO_CSQLITE_SHIM_H
#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this wraps the one
/// setting credfolio makes. Memory statistics cost a mutex round trip on
/// every allocation and credfolio never reads them. It must run before
/// SQLite initialises (before the first connection opens).
static inline int credfolio_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// SQLite's SQLITE_TRANSIENT (the destructor value -1: "copy the bytes
/// now"), which Swift cannot import as it is a cast of an integer to a
/// function pointer. Made here, in C, instead of from an integer in Swift.
static inline sqlite3_destructor_type credfolio_sqlite3_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
