import COpenSSL
import Foundation

/// Builds and signs X.509 v3 certificates the way Go's `x509.CreateCertificate` does for
/// kubeadm: random 63-bit serial, O before CN, critical basicConstraints and keyUsage,
/// SKI on CAs, AKI on issued certificates, SANs DNS then IP, and Go's digest for the signing
/// key (sha256 for kubeadm's RSA and P-256 keys).
enum X509Builder {
    /// Signs `template` for `subjectKey`; self-signed when `issuer` is nil.
    static func build(
        _ template: CertificateTemplate, subjectKey: PrivateKey, issuer: CertificateAuthority?
    ) throws -> Certificate {
        let template = template.normalized
        // kubeadm's certificates (CAs and what they sign) need a CN; a self-signed leaf may go
        // without, as etcd's `--auto-tls` certificate does (subject `O=etcd`).
        guard !template.subject.commonName.isEmpty || (issuer == nil && !template.isCA) else {
            throw PKIError.invalidParameter(name: "common name", value: "", reason: "a certificate needs a CN")
        }
        guard template.notBefore < template.notAfter else {
            throw PKIError.invalidParameter(
                name: "validity", value: "\(template.notBefore)…\(template.notAfter)", reason: "notAfter must follow notBefore")
        }
        guard let x509 = X509_new() else { throw LibCrypto.failure("X509_new") }
        let certificate = Certificate(taking: x509)  // frees x509 on every error path below

        try LibCrypto.check(X509_set_version(x509, 2), "X509_set_version")  // 2 means v3
        try LibCrypto.check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), try randomSerial()), "serial")

        let subjectName = try makeName(template.subject)
        defer { X509_NAME_free(subjectName) }
        try LibCrypto.check(X509_set_subject_name(x509, subjectName), "X509_set_subject_name")
        let issuerName = issuer.map { X509_get_subject_name($0.certificate.pointer) } ?? subjectName
        try LibCrypto.check(X509_set_issuer_name(x509, issuerName), "X509_set_issuer_name")

        try setTime(X509_getm_notBefore(x509), template.notBefore)
        try setTime(X509_getm_notAfter(x509), template.notAfter)
        try LibCrypto.check(X509_set_pubkey(x509, subjectKey.pointer), "X509_set_pubkey")

        // Extension order follows Go's buildCertExtensions, so `openssl x509 -text` reads like kubeadm's.
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.certificate.pointer ?? x509, x509, nil, nil, 0)
        let keyUsage = "critical,digitalSignature,keyEncipherment" + (template.isCA ? ",keyCertSign" : "")
        try addExtension(x509, &context, NID_key_usage, keyUsage)
        if !template.usages.isEmpty {
            try addExtension(x509, &context, NID_ext_key_usage, template.usages.map(\.opensslName).joined(separator: ","))
        }
        try addExtension(x509, &context, NID_basic_constraints, template.isCA ? "critical,CA:TRUE" : "critical,CA:FALSE")
        if template.isCA {
            try addExtension(x509, &context, NID_subject_key_identifier, "hash")
        }
        if issuer != nil {
            // "keyid" copies the CA's SKI when it has one, as Go does; an external CA without one yields no AKI.
            try addExtension(x509, &context, NID_authority_key_identifier, "keyid")
        }
        if !template.dnsNames.isEmpty || !template.ipAddresses.isEmpty {
            try addSubjectAltNames(x509, dnsNames: template.dnsNames, ipAddresses: template.ipAddresses)
        }

        let signingKey = issuer?.key ?? subjectKey
        guard X509_sign(x509, signingKey.pointer, signingKey.signatureDigest) > 0 else { throw LibCrypto.failure("X509_sign") }
        return certificate
    }

    /// Uniform in [1, 2^63−1], like kubeadm's `cryptorand.Int(MaxInt64-1) + 1`.
    static func randomSerial() throws -> UInt64 {
        var value: UInt64 = 0
        repeat {
            let status = withUnsafeMutableBytes(of: &value) { raw in
                RAND_bytes(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(raw.count))
            }
            try LibCrypto.check(status, "RAND_bytes")
            value &= 0x7FFF_FFFF_FFFF_FFFF
        } while value == 0
        return value
    }

    /// A name with one O entry per organization, then CN (if any), as Go's `pkix.Name` orders them.
    private static func makeName(_ subject: CertificateSubject) throws -> OpaquePointer {
        guard let name = X509_NAME_new() else { throw LibCrypto.failure("X509_NAME_new") }
        do {
            for organization in subject.organizations {
                try addEntry(name, NID_organizationName, organization)
            }
            // Go's pkix.Name leaves an empty CN out.
            if !subject.commonName.isEmpty {
                try addEntry(name, NID_commonName, subject.commonName)
            }
        } catch {
            X509_NAME_free(name)
            throw error
        }
        return name
    }

    private static func addEntry(_ name: OpaquePointer, _ nid: Int32, _ value: String) throws {
        let bytes = Array(value.utf8)
        // Go writes PrintableString when every character allows it, UTF8String otherwise.
        let type = value.utf8.allSatisfy(isPrintable) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING
        try LibCrypto.check(
            X509_NAME_add_entry_by_NID(name, nid, type, bytes, Int32(bytes.count), -1, 0),
            "X509_NAME_add_entry_by_NID(\(value))")
    }

    /// Go's `isPrintable` for marshalling (with '*' allowed).
    private static func isPrintable(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            " '()+,-./:=?*".utf8.contains(byte)
        }
    }

    private static func setTime(_ field: UnsafeMutablePointer<ASN1_TIME>?, _ date: Date) throws {
        // ASN1_TIME_set picks UTCTime before 2050 and GeneralizedTime after, as RFC 5280 wants.
        guard let field, ASN1_TIME_set(field, time_t(date.timeIntervalSince1970.rounded(.down))) != nil else {
            throw LibCrypto.failure("ASN1_TIME_set")
        }
    }

    private static func addExtension(
        _ x509: OpaquePointer, _ context: inout X509V3_CTX, _ nid: Int32, _ value: String
    ) throws {
        guard let extensionValue = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
            throw LibCrypto.failure("X509V3_EXT_nconf_nid(\(value))")
        }
        defer { X509_EXTENSION_free(extensionValue) }
        try LibCrypto.check(X509_add_ext(x509, extensionValue, -1), "X509_add_ext")
    }

    /// Builds the GENERAL_NAMES stack directly rather than through OpenSSL's "DNS:a,IP:b"
    /// syntax, so no name needs escaping.
    private static func addSubjectAltNames(
        _ x509: OpaquePointer, dnsNames: [String], ipAddresses: [IPAddress]
    ) throws {
        guard let names = GENERAL_NAMES_new() else { throw LibCrypto.failure("GENERAL_NAMES_new") }
        defer { GENERAL_NAMES_free(names) }  // frees the pushed entries too

        func push(_ type: Int32, _ bytes: [UInt8]) throws {
            guard let entry = GENERAL_NAME_new() else { throw LibCrypto.failure("GENERAL_NAME_new") }
            guard let value = ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING : V_ASN1_OCTET_STRING) else {
                GENERAL_NAME_free(entry)
                throw LibCrypto.failure("ASN1_STRING_type_new")
            }
            guard ASN1_STRING_set(value, bytes, Int32(bytes.count)) == 1 else {
                ASN1_STRING_free(value)
                GENERAL_NAME_free(entry)
                throw LibCrypto.failure("ASN1_STRING_set")
            }
            GENERAL_NAME_set0_value(entry, type, UnsafeMutableRawPointer(value))  // entry owns value now
            guard OPENSSL_sk_push(names, UnsafeRawPointer(entry)) > 0 else {
                GENERAL_NAME_free(entry)
                throw LibCrypto.failure("OPENSSL_sk_push")
            }
        }
        for name in dnsNames { try push(GEN_DNS, Array(name.utf8)) }
        for address in ipAddresses { try push(GEN_IPADD, address.bytes) }
        try LibCrypto.check(
            X509_add1_ext_i2d(x509, NID_subject_alt_name, UnsafeMutableRawPointer(names), 0, UInt(X509V3_ADD_DEFAULT)),
            "X509_add1_ext_i2d(subjectAltName)")
    }
}
