#ifndef CREDFOLIO_CPQ_SHIM_H
#define CREDFOLIO_CPQ_SHIM_H

/* libpq, PostgreSQL's C client library (Debian's libpq-dev), for its types
 * only: nothing here links the library. credfolio opens libpq with dlopen
 * the first time a command uses a PostgreSQL database, so that the users of
 * a SQLite file never pay the loader's cost of libpq and its dependencies
 * (which is why the target does not take pkg-config's -lpq: the header is
 * found under /usr/include/postgresql, where libpq-dev puts it).
 *
 * Each typedef is the type of one function of the real header, so that the
 * compiler checks the signatures that dlsym's pointers are cast to. */
#include <postgresql/libpq-fe.h>

typedef __typeof__(&PQconnectdb) credfolio_pq_connectdb;
typedef __typeof__(&PQstatus) credfolio_pq_status;
typedef __typeof__(&PQerrorMessage) credfolio_pq_errorMessage;
typedef __typeof__(&PQfinish) credfolio_pq_finish;
typedef __typeof__(&PQexecParams) credfolio_pq_execParams;
typedef __typeof__(&PQexec) credfolio_pq_exec;
typedef __typeof__(&PQresultStatus) credfolio_pq_resultStatus;
typedef __typeof__(&PQresultErrorMessage) credfolio_pq_resultErrorMessage;
typedef __typeof__(&PQresultErrorField) credfolio_pq_resultErrorField;
typedef __typeof__(&PQntuples) credfolio_pq_ntuples;
typedef __typeof__(&PQnfields) credfolio_pq_nfields;
typedef __typeof__(&PQfname) credfolio_pq_fname;
typedef __typeof__(&PQgetvalue) credfolio_pq_getvalue;
typedef __typeof__(&PQgetisnull) credfolio_pq_getisnull;
typedef __typeof__(&PQclear) credfolio_pq_clear;
typedef __typeof__(&PQlibVersion) credfolio_pq_libVersion;
typedef __typeof__(&PQprepare) credfolio_pq_prepare;
typedef __typeof__(&PQexecPrepared) credfolio_pq_execPrepared;
typedef __typeof__(&PQcmdTuples) credfolio_pq_cmdTuples;
typedef __typeof__(&PQgetlength) credfolio_pq_getlength;
typedef __typeof__(&PQtransactionStatus) credfolio_pq_transactionStatus;
typedef __typeof__(&PQputCopyData) credfolio_pq_putCopyData;
typedef __typeof__(&PQputCopyEnd) credfolio_pq_putCopyEnd;
typedef __typeof__(&PQgetResult) credfolio_pq_getResult;

#endif
