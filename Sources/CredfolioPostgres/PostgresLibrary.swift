import CPQ
import CredfolioCore
import CredfolioSystem

/// The functions of libpq that credfolio calls, found with dlsym the first
/// time a command uses a PostgreSQL database: the users of a SQLite file
/// never load it.
struct PostgresLibrary: Sendable {
    let connectdb: credfolio_pq_connectdb
    let status: credfolio_pq_status
    let errorMessage: credfolio_pq_errorMessage
    let finish: credfolio_pq_finish
    let execParams: credfolio_pq_execParams
    let exec: credfolio_pq_exec
    let resultStatus: credfolio_pq_resultStatus
    let resultErrorMessage: credfolio_pq_resultErrorMessage
    let resultErrorField: credfolio_pq_resultErrorField
    let ntuples: credfolio_pq_ntuples
    let nfields: credfolio_pq_nfields
    let fname: credfolio_pq_fname
    let getvalue: credfolio_pq_getvalue
    let getisnull: credfolio_pq_getisnull
    let clear: credfolio_pq_clear
    let libVersion: credfolio_pq_libVersion
    let prepare: credfolio_pq_prepare
    let execPrepared: credfolio_pq_execPrepared
    let cmdTuples: credfolio_pq_cmdTuples
    let getlength: credfolio_pq_getlength
    let transactionStatus: credfolio_pq_transactionStatus
    let putCopyData: credfolio_pq_putCopyData
    let putCopyEnd: credfolio_pq_putCopyEnd
    let getResult: credfolio_pq_getResult

    /// The sonames Debian installs (libpq5), newest first.
    static let names = ["libpq.so.5", "libpq.so"]

    /// Loaded once per process; the handle is never closed.
    static let loaded: Result<PostgresLibrary, CredfolioError> = {
        guard let library = SharedLibrary(firstOf: names) else {
            return .failure(CredfolioError.invalid(
                "a PostgreSQL database needs libpq, which is not installed: apt-get install libpq5 (or run Scripts/ensure-deps)"))
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(CredfolioError) -> T {
            guard let function = library.function(name, as: type) else {
                throw CredfolioError.invalid("the installed libpq lacks \(name): install libpq5 from PostgreSQL 12 or later")
            }
            return function
        }
        do throws(CredfolioError) {
            return .success(PostgresLibrary(
                connectdb: try symbol("PQconnectdb", credfolio_pq_connectdb.self),
                status: try symbol("PQstatus", credfolio_pq_status.self),
                errorMessage: try symbol("PQerrorMessage", credfolio_pq_errorMessage.self),
                finish: try symbol("PQfinish", credfolio_pq_finish.self),
                execParams: try symbol("PQexecParams", credfolio_pq_execParams.self),
                exec: try symbol("PQexec", credfolio_pq_exec.self),
                resultStatus: try symbol("PQresultStatus", credfolio_pq_resultStatus.self),
                resultErrorMessage: try symbol("PQresultErrorMessage", credfolio_pq_resultErrorMessage.self),
                resultErrorField: try symbol("PQresultErrorField", credfolio_pq_resultErrorField.self),
                ntuples: try symbol("PQntuples", credfolio_pq_ntuples.self),
                nfields: try symbol("PQnfields", credfolio_pq_nfields.self),
                fname: try symbol("PQfname", credfolio_pq_fname.self),
                getvalue: try symbol("PQgetvalue", credfolio_pq_getvalue.self),
                getisnull: try symbol("PQgetisnull", credfolio_pq_getisnull.self),
                clear: try symbol("PQclear", credfolio_pq_clear.self),
                libVersion: try symbol("PQlibVersion", credfolio_pq_libVersion.self),
                prepare: try symbol("PQprepare", credfolio_pq_prepare.self),
                execPrepared: try symbol("PQexecPrepared", credfolio_pq_execPrepared.self),
                cmdTuples: try symbol("PQcmdTuples", credfolio_pq_cmdTuples.self),
                getlength: try symbol("PQgetlength", credfolio_pq_getlength.self),
                transactionStatus: try symbol("PQtransactionStatus", credfolio_pq_transactionStatus.self),
                putCopyData: try symbol("PQputCopyData", credfolio_pq_putCopyData.self),
                putCopyEnd: try symbol("PQputCopyEnd", credfolio_pq_putCopyEnd.self),
                getResult: try symbol("PQgetResult", credfolio_pq_getResult.self)))
        } catch {
            return .failure(error)
        }
    }()
}
