#ifndef CREDFOLIO_CSQLITE_SHIM_H
#define CREDFOLIO_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
