import COpenSSL
import Foundation

/// An X.509 certificate held by libcrypto, with the fields kubeadm cares about.
///
/// Immutable after creation (libcrypto caches extension data under its own lock), hence
/// `@unchecked Sendable`.
public final class Certificate: @unchecked Sendable {
    /// The owned `X509`, freed in `deinit`.
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses the first PEM "CERTIFICATE" block (a bundle's leaf comes first).
    ///
    /// - Parameter source: where the bytes came from, for error messages.
    public convenience init(pem: Data, source: String = "certificate") throws {
        let labels = PEMBlock.labels(in: pem)
        guard !labels.isEmpty else { throw PKIError.notPEM(path: source, expected: "certificate") }
        guard labels.contains("CERTIFICATE") else {
            throw PKIError.wrongPEMType(path: source, expected: "certificate", found: labels)
        }
        let parsed = try MemoryBIO.reading(pem) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
        guard let parsed else {
            throw PKIError.invalidContent(path: source, reason: LibCrypto.drainErrors())
        }
        self.init(taking: parsed)
    }

    /// Parses a DER certificate, e.g. the one a TLS peer presented.
    ///
    /// - Parameter source: where the bytes came from, for error messages.
    public convenience init(der: [UInt8], source: String = "certificate") throws {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw PKIError.invalidContent(path: source, reason: LibCrypto.drainErrors())
        }
        self.init(taking: parsed)
    }

    /// The certificate as PEM "CERTIFICATE".
    public func pemEncoded() throws -> Data {
        try MemoryBIO.writing("PEM_write_bio_X509") { bio in PEM_write_bio_X509(bio, pointer) }
    }

    /// Subject CN and O.
    public var subject: CertificateSubject { Self.subject(of: X509_get_subject_name(pointer)) }

    /// Issuer CN and O.
    public var issuer: CertificateSubject { Self.subject(of: X509_get_issuer_name(pointer)) }

    /// Start of validity.
    public var notBefore: Date { Self.date(X509_get0_notBefore(pointer)) }

    /// End of validity.
    public var notAfter: Date { Self.date(X509_get0_notAfter(pointer)) }

    /// Whether basicConstraints says CA:TRUE.
    public var isCA: Bool { X509_get_extension_flags(pointer) & UInt32(EXFLAG_CA) != 0 }

    /// Serial number as uppercase hex, as `openssl x509 -serial` prints it.
    public var serialNumberHex: String {
        guard let serial = X509_get0_serialNumber(pointer), let number = ASN1_INTEGER_to_BN(serial, nil) else {
            return ""
        }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "" }
        defer { CRYPTO_free(hex, nil, 0) }
        return String(cString: hex)
    }

    /// Extended key usages, in kubeadm's order (serverAuth before clientAuth).
    public var extendedKeyUsages: [ExtendedKeyUsage] {
        let flags = X509_get_extended_key_usage(pointer)
        guard flags != UInt32.max else { return [] }  // no extension at all
        return ExtendedKeyUsage.allCases.filter { flags & $0.libcryptoFlag != 0 }
    }

    /// subjectAltName DNS names, in certificate order.
    public var dnsNames: [String] {
        alternativeNames().compactMap { if case let .dns(name) = $0 { name } else { nil } }
    }

    /// subjectAltName IP addresses, in certificate order.
    public var ipAddresses: [IPAddress] {
        alternativeNames().compactMap { if case let .ip(address) = $0 { address } else { nil } }
    }

    /// Whether `authority` issued this certificate: names chain and its key verifies the signature.
    public func isIssued(by authority: Certificate) -> Bool {
        defer { LibCrypto.clearErrors() }
        guard X509_check_issued(authority.pointer, pointer) == X509_V_OK,
              let authorityKey = X509_get0_pubkey(authority.pointer)
        else { return false }
        return X509_verify(pointer, authorityKey) == 1
    }

    /// Whether `date` lies within notBefore…notAfter.
    public func isValid(at date: Date) -> Bool {
        notBefore <= date && date <= notAfter
    }

    // MARK: - Parsing helpers

    private enum AlternativeName {
        case dns(String)
        case ip(IPAddress)
    }

    private func alternativeNames() -> [AlternativeName] {
        guard let raw = X509_get_ext_d2i(pointer, NID_subject_alt_name, nil, nil) else {
            LibCrypto.clearErrors()
            return []
        }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [AlternativeName] = []
        for index in 0..<OPENSSL_sk_num(names) {
            guard let entry = OPENSSL_sk_value(names, index)?.assumingMemoryBound(to: GENERAL_NAME.self) else {
                continue
            }
            switch entry.pointee.type {
            case GEN_DNS:
                result.append(.dns(Self.string(entry.pointee.d.dNSName)))
            case GEN_IPADD:
                let octets = entry.pointee.d.iPAddress
                let length = Int(ASN1_STRING_length(octets))
                if let data = ASN1_STRING_get0_data(octets),
                   let address = IPAddress(bytes: Array(UnsafeBufferPointer(start: data, count: length)))
                {
                    result.append(.ip(address))
                }
            default:
                continue
            }
        }
        return result
    }

    private static func string(_ value: UnsafePointer<ASN1_STRING>?) -> String {
        guard let value, let data = ASN1_STRING_get0_data(value) else { return "" }
        let bytes = UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(value)))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func subject(of name: OpaquePointer?) -> CertificateSubject {
        guard let name else { return CertificateSubject(commonName: "") }
        var commonName = ""
        var organizations: [String] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
            guard length >= 0, let utf8 else { continue }
            let value = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
            CRYPTO_free(utf8, nil, 0)
            if nid == NID_commonName {
                commonName = value
            } else if nid == NID_organizationName {
                organizations.append(value)
            }
        }
        return CertificateSubject(commonName: commonName, organizations: organizations)
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return .distantPast }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

extension Certificate {
    /// The type of the certified public key, or nil for one kubeadm does not offer.
    public var keyAlgorithm: KeyAlgorithm? {
        guard let key = X509_get0_pubkey(pointer) else {
            LibCrypto.clearErrors()
            return nil
        }
        let bits = EVP_PKEY_get_bits(key)
        if EVP_PKEY_get_base_id(key) == EVP_PKEY_EC { return bits == 256 ? .ecdsaP256 : nil }
        return KeyAlgorithm.allCases.first { $0.rsaBits == bits }
    }
}
