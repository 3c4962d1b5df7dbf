import CredfolioCore

extension Store {
    /// Where the database is: `given` (`--db`), else `$CREDFOLIO_DB`, else
    /// `$XDG_DATA_HOME/credfolio/credfolio.db`, else
    /// `$HOME/.local/share/credfolio/credfolio.db`; with neither `HOME` nor
    /// `XDG_DATA_HOME` there is no default. `isDefault` says whether it is
    /// the default location, whose folders a first write makes (a path
    /// someone gave must name a folder that exists).
    public static func location(given: String?, environment: (String) -> String?) throws -> (path: String, isDefault: Bool) {
        if let given { return (given, false) }
        if let env = environment("CREDFOLIO_DB"), !env.isEmpty { return (env, false) }
        if let data = environment("XDG_DATA_HOME"), data.hasPrefix("/") { return (data + "/credfolio/credfolio.db", true) }
        guard let home = environment("HOME"), home.hasPrefix("/") else {
            throw CredfolioError.invalid("no database given, and no default one: HOME and XDG_DATA_HOME are not set (give --db FILE, or set CREDFOLIO_DB)")
        }
        return (home + "/.local/share/credfolio/credfolio.db", true)
    }
}
