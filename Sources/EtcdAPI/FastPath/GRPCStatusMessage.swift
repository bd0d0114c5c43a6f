/// gRPC's encoding of the `grpc-message` trailer (PROTOCOL-HTTP2.md, "Responses"): printable
/// ASCII except `%` stays as it is; every other UTF-8 byte becomes `%XX`.
enum GRPCStatusMessage {
    static func percentEncoded(_ message: String) -> String {
        let utf8 = message.utf8
        if utf8.allSatisfy(isPlain) { return message }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if isPlain(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "%")
    }

    private static let hex = Array("0123456789ABCDEF".utf8)
}
