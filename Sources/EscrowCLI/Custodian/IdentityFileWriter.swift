import Escrow
import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes identity files atomically with owner-only permissions (0600).
enum IdentityFileWriter {
    static func write(_ file: IdentityFile, to path: String, replacing: Bool) throws {
        let bytes = try file.encoded()
        let atomic = try AtomicFile(path: path, overwrite: replacing)
        do {
            try bytes.withUnsafeBytes { try atomic.write($0) }
            try atomic.commit()
        } catch {
            atomic.discard()
            throw error
        }
    }
}
