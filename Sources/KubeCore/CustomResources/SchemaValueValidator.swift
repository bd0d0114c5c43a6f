import Foundation

/// kube-openapi's `validate.SchemaValidator` as apiextensions-apiserver runs it on a custom
/// resource, with its results converted as `kubeOpenAPIResultToFieldErrors` converts them.
///
/// Per node the validators run in kube-openapi's order (type, allOf/anyOf/oneOf/not, string,
/// format, number, array, enum, object) and none stops the others. Paths are kube-openapi's
/// strings (`spec.items[0].name`), messages its `errors` package's (`… in body …`). On update
/// a subtree equal to its correlated old value keeps none of its errors, as the
/// `CRDValidationRatcheting` feature (on by default in 1.33) does.
struct SchemaValueValidator {
    /// One converted error and whether `hasBlockingErr` counts its type as blocking CEL rules
    /// (`NotSupported`, `Required`, `TooLong`, `TooMany`, `TypeInvalid`).
    struct Violation {
        var error: FieldError
        var blocking: Bool
    }

    /// Validates `data` against `schema` at kube-openapi path `path`; `old` is the correlated
    /// old value on update, nil when there is none.
    func validate(_ data: JSONValue, _ schema: StructuralSchema, path: String, old: JSONValue?) -> [Violation] {
        let found = check(data, schema, path: path, old: old)
        if !found.isEmpty, let old, old == data { return [] }
        return found
    }

    // MARK: conversion

    /// The field path `kubeOpenAPIResultToFieldErrors` derives from an error's name: the name
    /// without its leading dot, or Go's nil path (`<nil>`) for the root.
    private func field(_ name: String) -> String {
        if name.isEmpty || name == "." { return "<nil>" }
        return name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    private func typeInvalid(_ name: String, _ typeName: String, _ valueText: String) -> Violation {
        Violation(error: FieldError(field: field(name), .invalid(
            value: .string(valueText), detail: "\(name) in body must be of type \(typeName): \(goQuoted(valueText))")),
                  blocking: true)
    }

    private func invalid(_ name: String, _ value: GoValue, _ message: String) -> Violation {
        Violation(error: FieldError(field: field(name), .invalid(value: value, detail: message)), blocking: false)
    }

    // MARK: one node

    private func check(_ data: JSONValue, _ s: StructuralSchema, path: String, old: JSONValue?) -> [Violation] {
        var out: [Violation] = []
        let types = s.validationTypes
        let format = s.validatedFormat
        if data.isNull {
            if !types.isEmpty || !format.isEmpty, !types.isEmpty, !types.contains("null"), !s.nullable {
                out.append(typeInvalid(path, types.joined(separator: ","), "null"))
            }
            out += enumCheck(data, s, path)
            return out
        }
        if !types.isEmpty || !format.isEmpty { out += typeCheck(data, types, format, path) }
        out += combinators(data, s, path)
        if case .string(let text) = data {
            out += stringCheck(text, s, path)
            if !format.isEmpty, SchemaFormats.isRegistered(format), !SchemaFormats.validates(format, text) {
                out.append(typeInvalid(path, format, text))
            }
        }
        if data.double != nil, data.bool == nil { out += numberCheck(data, s, path) }
        if case .array(let items) = data { out += arrayCheck(items, s, path, old: old) }
        out += enumCheck(data, s, path)
        if case .object(let members) = data { out += objectCheck(members, s, path, old: old) }
        return out
    }

    /// `typeValidator`: the JSON type and, for non-strings, the format's type.
    private func typeCheck(_ data: JSONValue, _ types: [String], _ format: String, _ path: String) -> [Violation] {
        let (schemaType, dataFormat): (String, String)
        switch data {
        case .bool: (schemaType, dataFormat) = ("boolean", "")
        case .string: (schemaType, dataFormat) = ("string", "")
        case .integer: (schemaType, dataFormat) = ("integer", "int64")
        case .number: (schemaType, dataFormat) = ("number", "float64")
        case .array: (schemaType, dataFormat) = ("array", "")
        case .object, .null: (schemaType, dataFormat) = ("object", "")
        }
        let isStringOrSlice = schemaType == "string" || schemaType == "array"
        var isFloatInt = false
        if case .number(let d) = data { isFloatInt = Self.isJSONInteger(d) && types.contains("integer") }
        let isIntFloat = schemaType == "integer" && types.contains("number")
        if !isStringOrSlice, !format.isEmpty,
           !(types.contains(schemaType) || dataFormat == format || isFloatInt || isIntFloat) {
            return [typeInvalid(path, format, dataFormat)]
        }
        if !(types.contains("number") || types.contains("integer")), !format.isEmpty, isStringOrSlice { return [] }
        if !(types.contains(schemaType) || isFloatInt || isIntFloat) {
            return [typeInvalid(path, types.joined(separator: ","), schemaType)]
        }
        return []
    }

    /// `swag.IsFloat64AJSONInteger`.
    static func isJSONInteger(_ d: Double) -> Bool {
        d.isFinite && d.rounded(.towardZero) == d && abs(d) <= 9_007_199_254_740_992
    }

    /// `schemaPropsValidator`: allOf, anyOf, oneOf and not. Their own failures are plain
    /// `errors.New` values, which the conversion files under the nil path with value "".
    private func combinators(_ data: JSONValue, _ s: StructuralSchema, _ path: String) -> [Violation] {
        var out: [Violation] = []
        func composite(_ message: String) -> Violation {
            Violation(error: FieldError(field: "<nil>", .invalid(value: .string(""), detail: message)), blocking: false)
        }
        if !s.anyOf.isEmpty {
            let results = s.anyOf.map { check(data, $0, path: path, old: nil) }
            if !results.contains(where: \.isEmpty) {
                out.append(composite("\(goQuoted(path)) must validate at least one schema (anyOf)"))
                out += results[0]
            }
        }
        if !s.oneOf.isEmpty {
            let results = s.oneOf.map { check(data, $0, path: path, old: nil) }
            let valid = results.filter(\.isEmpty).count
            if valid != 1 {
                let detail = valid == 0 ? "Found none valid" : "Found \(valid) valid alternatives"
                out.append(composite("\(goQuoted(path)) must validate one and only one schema (oneOf). \(detail)"))
                if valid == 0 { out += results[0] }
            }
        }
        if !s.allOf.isEmpty {
            let results = s.allOf.map { check(data, $0, path: path, old: nil) }
            out += results.flatMap { $0 }
            let valid = results.filter(\.isEmpty).count
            if valid != results.count {
                out.append(composite("\(goQuoted(path)) must validate all the schemas (allOf)\(valid == 0 ? ". None validated" : "")"))
            }
        }
        if let not = s.not, check(data, not, path: path, old: nil).isEmpty {
            out.append(composite("\(goQuoted(path)) must not validate the schema (not)"))
        }
        return out
    }

    /// `stringValidator`: maxLength, minLength, pattern; only the first failure is reported.
    private func stringCheck(_ text: String, _ s: StructuralSchema, _ path: String) -> [Violation] {
        let length = text.unicodeScalars.count
        if let max = s.maxLength, length > max {
            return [Violation(error: FieldError(field: field(path), .tooLong(maxLength: max)), blocking: true)]
        }
        if let min = s.minLength, length < min {
            return [invalid(path, .string(text), "\(path) in body should be at least \(min) chars long")]
        }
        if let pattern = s.pattern {
            guard let regex = s.patternRegex else {
                return [invalid(path, .string(text), "\(path) in body should match '\(pattern), but pattern is invalid'")]
            }
            let range = NSRange(text.startIndex..., in: text)
            if regex.firstMatch(in: text, range: range) == nil {
                return [invalid(path, .string(text), "\(path) in body should match '\(pattern)'")]
            }
        }
        return []
    }

    /// Go's `int64(f)` for a schema bound, saturating where Go's conversion is undefined.
    private static func int64(_ d: Double) -> Int {
        if d.isNaN { return 0 }
        if d >= 9.223372036854775807e18 { return Int.max }
        if d <= -9.223372036854775808e18 { return Int.min }
        return Int(d.rounded(.towardZero))
    }

    /// `numberValidator`: multipleOf, then minimum, then maximum, natively for integers (the
    /// bound truncated to an integer) and as floats otherwise.
    private func numberCheck(_ data: JSONValue, _ s: StructuralSchema, _ path: String) -> [Violation] {
        var multiple: [Violation] = [], minimum: [Violation] = [], maximum: [Violation] = []
        let render = GoValueRendering.float
        if case .integer(let value) = data {
            if let m = s.multipleOf {
                let factor = Self.int64(m)
                if factor <= 0 {
                    multiple.append(invalid(path, .int(factor), "factor MultipleOf declared for \(path) must be positive: \(factor)"))
                } else if value % factor != 0 {
                    multiple.append(invalid(path, .int(value), "\(path) in body should be a multiple of \(factor)"))
                }
            }
            if let min = s.minimum {
                let bound = Self.int64(min)
                if s.exclusiveMinimum ? value <= bound : value < bound {
                    minimum.append(invalid(path, .int(value), "\(path) in body should be greater than \(s.exclusiveMinimum ? "" : "or equal to ")\(bound)"))
                }
            }
            if let max = s.maximum {
                let bound = Self.int64(max)
                if s.exclusiveMaximum ? value >= bound : value > bound {
                    maximum.append(invalid(path, .int(value), "\(path) in body should be less than \(s.exclusiveMaximum ? "" : "or equal to ")\(bound)"))
                }
            }
        } else if let value = data.double {
            let shown = GoValue.raw(render(value))
            if let m = s.multipleOf {
                if m <= 0 {
                    multiple.append(invalid(path, .raw(render(m)), "factor MultipleOf declared for \(path) must be positive: \(render(m))"))
                } else if !Self.isJSONInteger(m < 1 ? 1 / m * value : value / m) {
                    multiple.append(invalid(path, shown, "\(path) in body should be a multiple of \(render(m))"))
                }
            }
            if let min = s.minimum, s.exclusiveMinimum ? value <= min : value < min {
                minimum.append(invalid(path, shown, "\(path) in body should be greater than \(s.exclusiveMinimum ? "" : "or equal to ")\(render(min))"))
            }
            if let max = s.maximum, s.exclusiveMaximum ? value >= max : value > max {
                maximum.append(invalid(path, shown, "\(path) in body should be less than \(s.exclusiveMaximum ? "" : "or equal to ")\(render(max))"))
            }
        }
        return multiple + minimum + maximum
    }

    /// `schemaSliceValidator`: each item, then minItems, maxItems and uniqueItems.
    private func arrayCheck(_ items: [JSONValue], _ s: StructuralSchema, _ path: String, old: JSONValue?) -> [Violation] {
        var out: [Violation] = []
        if let itemSchema = s.items {
            for (i, item) in items.enumerated() {
                out += validate(item, itemSchema, path: "\(path)[\(i)]", old: Self.correlatedItem(item, s, old: old))
            }
        }
        if let min = s.minItems, items.count < min {
            out.append(invalid(path, .int(items.count), "\(path) in body should have at least \(min) items"))
        }
        if let max = s.maxItems, items.count > max {
            out.append(Violation(error: FieldError(field: field(path), .tooMany(actual: items.count, max: max)), blocking: true))
        }
        if s.uniqueItems, Set(items).count != items.count {
            out.append(invalid(path, .string(""), "\(path) in body shouldn't contain duplicates"))
        }
        return out
    }

    /// The old item an item is ratcheted against: only `x-kubernetes-list-type: map` lists
    /// correlate items, by their key fields (`CorrelatedObject.Index`).
    static func correlatedItem(_ item: JSONValue, _ s: StructuralSchema, old: JSONValue?) -> JSONValue? {
        guard s.listType == "map", !s.listMapKeys.isEmpty, let oldItems = old?.array else { return nil }
        return oldItems.first { candidate in s.listMapKeys.allSatisfy { candidate[$0] == item[$0] } }
    }

    /// `basicCommonValidator`: the value must equal an enum member after Go's type conversion.
    private func enumCheck(_ data: JSONValue, _ s: StructuralSchema, _ path: String) -> [Violation] {
        guard let members = s.enumValues, !members.isEmpty else { return [] }
        if members.contains(where: { Self.enumMatches(data, $0) }) { return [] }
        let error = FieldError(field: field(path), .notSupported(
            value: GoValueRendering.badValue(data), supported: members.map(GoValueRendering.enumText)))
        return [Violation(error: error, blocking: true)]
    }

    /// `reflect.Value.Convert` then `DeepEqual`, for the types an unstructured value holds.
    static func enumMatches(_ data: JSONValue, _ member: JSONValue) -> Bool {
        switch (data, member) {
        case (.null, _), (_, .null): return false
        case (.integer(let i), .number(let d)): return Double(i) == d
        case (.number(let d), .integer(let i)): return d.isFinite && int64(d) == i
        case (.integer(let i), .string(let s)):
            // Go converts an integer to a string as the rune with that code point.
            return Unicode.Scalar(UInt32(truncatingIfNeeded: i)).map { String(Character($0)) } == s
        default: return data == member
        }
    }

    /// `objectValidator`: property counts, additional properties, properties, then required.
    private func objectCheck(_ members: [String: JSONValue], _ s: StructuralSchema, _ path: String, old: JSONValue?) -> [Violation] {
        var out: [Violation] = []
        if let min = s.minProperties, members.count < min {
            out.append(invalid(path, .int(members.count), "\(path) in body should have at least \(min) properties"))
        }
        if let max = s.maxProperties, members.count > max {
            out.append(Violation(error: FieldError(field: field(path), .tooMany(actual: members.count, max: max)), blocking: true))
        }
        let keys = members.keys.sorted()
        switch s.additionalProperties {
        case .allows(false)?:
            for key in keys where s.properties[key] == nil {
                out.append(invalid(path, .string(key), "\(path).\(key) in body is a forbidden property"))
            }
        case .schema(let additional)?:
            for key in keys where s.properties[key] == nil {
                out += validate(members[key]!, additional, path: "\(path).\(key)", old: old?[key])
            }
        default:
            break
        }
        for name in s.propertyNames {
            guard let value = members[name] else { continue }
            out += validate(value, s.properties[name]!, path: path.isEmpty ? name : "\(path).\(name)",
                            old: path.isEmpty && (name == "apiVersion" || name == "kind") ? nil : old?[name])
        }
        for name in s.required where members[name] == nil {
            out.append(Violation(error: FieldError(field: field("\(path).\(name)"), .required(detail: "")), blocking: true))
        }
        return out
    }
}
