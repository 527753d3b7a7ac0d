/// The version of fakedep, as `/_fakedep/health` reports it.
public enum FakeDEPVersion {
    public static let current = "0.1.0"
}
