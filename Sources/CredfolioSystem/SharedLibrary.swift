#if canImport(Glibc)
import Glibc
#endif

/// A C library opened with `dlopen` when a command first needs it (COIN-OR
/// CBC, libpq), so that the commands that never use it never load it. The
/// one place credfolio turns a symbol's address into a function.
public struct SharedLibrary {
    /// What `dlopen` returned; the library is never closed, since the
    /// functions taken from it live as long as the process.
    private let handle: UnsafeMutableRawPointer

    /// Opens the first of `names` (sonames, newest first) the loader
    /// finds; nil when none is installed.
    public init?(firstOf names: [String]) {
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else { return nil }
        self.handle = handle
    }

    /// The C function `symbol` as `type`, which must be the type its header
    /// declares (a `__typeof__` typedef of the library's C shim, so that the
    /// compiler has checked it); nil when the library lacks it.
    public func function<T>(_ symbol: String, as type: T.Type) -> T? {
        // dlsym gives an untyped address; the typedef says what it is.
        dlsym(handle, symbol).map { unsafeBitCast($0, to: type) }
    }
}
