public import CredfolioCore
import Glibc

extension CSVReader {
    /// Reads from an open file descriptor (not closed by the reader).
    public convenience init(fileDescriptor fd: Int32, chunkSize: Int = 1 << 16) {
        self.init(chunkSize: chunkSize) { buffer in
            while true {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno != EINTR { throw CredfolioError.invalid(String(cString: strerror(errno))) }
            }
        }
    }
}
