/// This build of credfolio: what `--version` prints and every page's footer names.
public enum CredfolioVersion {
    public static let current = "0.1.0"
}
