import Crypto
import _CryptoExtras
import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSQLite
@testable import CredfolioBadges
@testable import CredfolioCore
import CredfolioStore

@Suite("Badges: reading, checking and keeping Open Badges and CLR", .serialized)
struct BadgeTests {
    func world(email: String = "ana@example.org") throws -> CLI {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana", "--email", email)
        return cli
    }

    func write(_ cli: CLI, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = cli.directory.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func importJSON(_ cli: CLI, _ arguments: [String]) throws -> [[String: Any]] {
        let result = try cli.run(["import", "badges"] + arguments + ["--learner", "ana", "--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    @Test("OB 2.0: an assertion whose badge and issuer are IRIs needs them --linked; with them it imports, recipient hash checked")
    func ob2Linked() throws {
        let cli = try world()
        let assertion = try write(cli, "a.json", BadgeFixtures.json(BadgeFixtures.assertion(
            identity: BadgeFixtures.sha256Identity("ana@example.org", salt: "pepper"))))
        let badge = try write(cli, "badge.json", BadgeFixtures.json(BadgeFixtures.badgeClass))
        let issuer = try write(cli, "issuer.json", BadgeFixtures.json(BadgeFixtures.issuer()))
        #expect(try cli.fails("import", "badges", assertion, "--learner", "ana")
                == "error: \(assertion): the badge (BadgeClass) is the IRI https://issuer.test/badges/sql.json, which is not among the --linked files: pass its document with --linked\n")
        #expect(try cli.fails("import", "badges", assertion, "--learner", "ana", "--linked", badge).contains("the IRI https://issuer.test/issuer.json"))
        let rows = try importJSON(cli, [assertion, "--linked", badge, issuer])
        #expect(rows.count == 1)
        #expect(rows.first?["credential"] as? String == "test-college-sql-fundamentals")
        #expect(rows.first?["earned_on"] as? String == "2026-03-14")  // the date as the issuer wrote it, in its own offset
        #expect(rows.first?["format"] as? String == "ob2-json")
        #expect(rows.first?["recipient"] as? String == "match")
        #expect(rows.first?["verification"] as? String == "not verified: hosted verification needs the issuer's server")
        // The alignment became a skill with its framework; the criteria the url.
        let shown = try cli.ok("credential", "show", "test-college-sql-fundamentals", "--format", "json")
        #expect(shown.contains("\"skills\": [\n    \"s1-2-3\"\n  ]") && shown.contains("https://issuer.test/criteria/sql"))
        #expect(try cli.ok("skill", "show", "s1-2-3", "--format", "csv").contains("s1-2-3,Query databases,,ESCO,S1.2.3"))
        // Importing the same file again changes nothing.
        #expect(try importJSON(cli, [assertion, "--linked", badge, issuer]).first?["outcome"] as? String == "unchanged")
    }

    @Test("a recipient that matches none of the learner's addresses is refused unless --force; other addresses and md5 count")
    func recipients() throws {
        let cli = try world()
        let bytes = BadgeFixtures.json(BadgeFixtures.assertion(identity: BadgeFixtures.md5Identity("work@corp.test", salt: "pepper"),
                                                               embedded: true))
        let file = try write(cli, "a.json", bytes)
        let before = try cli.fingerprint()
        #expect(try cli.fails("import", "badges", file, "--learner", "ana").contains("the badge was issued to someone else"))
        #expect(try cli.fingerprint() == before)
        #expect(try importJSON(cli, [file, "--force"]).first?["recipient"] as? String == "forced")
        let cli2 = try world()
        try cli2.ok("learner", "email", "add", "ana", "Work@Corp.test")
        #expect(try importJSON(cli2, [try write(cli2, "a.json", bytes)]).first?["recipient"] as? String == "match")
        #expect(try cli2.ok("export", "learners").contains(",Work@Corp.test,,\n"))
        // --recipient checks one given address instead.
        let cli3 = try world()
        #expect(try importJSON(cli3, [try write(cli3, "a.json", bytes), "--recipient", "work@corp.test"]).first?["recipient"] as? String == "match")
        // A plain identity that differs is a mismatch too.
        let plain = BadgeFixtures.json(BadgeFixtures.assertion(identity: "bob@example.org", hashed: false, embedded: true))
        #expect(try cli3.fails("import", "badges", try write(cli3, "p.json", plain), "--learner", "ana").contains("issued to someone else"))
    }

    @Test("OB 2.0 signed (RS256): signed with the linked key, verified once trusted for the issuer; a tampered copy is refused even with --force")
    func ob2Signed() throws {
        let cli = try world()
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let payload = BadgeFixtures.json(BadgeFixtures.assertion(identity: BadgeFixtures.sha256Identity("ana@example.org", salt: "pepper"),
                                                                 embedded: false, signed: true))
        let token = try BadgeFixtures.rs256(payload, key: key, embedKey: false)
        let linked = [try write(cli, "b.json", BadgeFixtures.json(BadgeFixtures.badgeClass)),
                      try write(cli, "i.json", BadgeFixtures.json(BadgeFixtures.issuer(key: "https://issuer.test/key.json"))),
                      try write(cli, "k.json", BadgeFixtures.json(BadgeFixtures.cryptographicKey(pem: key.publicKey.pemRepresentation)))]
        let rows = try importJSON(cli, [try write(cli, "s.jws", Array(token.utf8)), "--linked"] + linked)
        #expect(rows.first?["format"] as? String == "ob2-jws")
        // The key came with the file: it proves the file intact, not that the issuer signed it.
        #expect(rows.first?["verification"] as? String == "signed (key supplied with the file, not confirmed with the issuer)")
        try cli.ok("issuer", "key", "add", "https://issuer.test/issuer.json", try write(cli, "issuer.pem", Array(key.publicKey.pemRepresentation.utf8)))
        // Baked into a PNG, it reads the same; now the key is trusted for the issuer: verified.
        let baked = try PNGChunks.baking(BadgeFixtures.png, keyword: "openbadges", text: token)
        let png = try importJSON(cli, [try write(cli, "s.png", baked), "--linked"] + linked)
        #expect(png.first?["format"] as? String == "ob2-png" && png.first?["verification"] as? String == "verified")
        // Tampered: the payload changed, the signature kept.
        let parts = token.split(separator: ".")
        var altered = Array(String(decoding: Base64.decode(parts[1])!, as: UTF8.self).utf8)
        let text = String(decoding: altered, as: UTF8.self).replacingOccurrences(of: "2026-03-14", with: "2025-03-14")
        altered = Array(text.utf8)
        let forged = parts[0] + "." + Base64.urlEncode(altered) + "." + parts[2]
        let forgedFile = try write(cli, "forged.jws", Array(forged.utf8))
        let before = try cli.fingerprint()
        let stderr = try cli.fails(["import", "badges", forgedFile, "--learner", "ana", "--force", "--linked"] + linked)
        #expect(stderr == "error: \(forgedFile): the signature matches no key trusted for https://issuer.test/issuer.json: the file was altered or is not the issuer's\n")
        #expect(try cli.fingerprint() == before)
    }

    @Test("10: a VC-JWT with only a kid is verified by a key (a JWK) trusted for its issuer")
    func trustedKid() throws {
        let cli = try world()
        let key = P256.Signing.PrivateKey()
        let raw = Array(key.publicKey.rawRepresentation)
        let payload = BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org"))
        let token = try BadgeFixtures.jws(header: .object([("alg", .string("ES256")), ("kid", .string("did:web:issuer.test#key-1"))]),
                                          payload: payload) { Array(try key.signature(for: $0).rawRepresentation) }
        let file = try write(cli, "vc.jwt", Array(token.utf8))
        #expect(try importJSON(cli, [file]).first?["verification"] as? String == "not verified: the key did:web:issuer.test#key-1 would have to be fetched")
        let jwk = #"{"kty":"EC","crv":"P-256","x":""# + Base64.urlEncode(raw[0..<32]) + #"","y":""# + Base64.urlEncode(raw[32..<64]) + #""}"#
        #expect(try cli.ok("issuer", "key", "add", "https://issuer.test", try write(cli, "k.jwk", Array(jwk.utf8)))
                == "trusted EC P-256 key 1 for https://issuer.test\n")
        #expect(try importJSON(cli, [file]).first?["verification"] as? String == "verified")
    }

    @Test("10: anyone can sign an assertion naming any issuer and ship their key beside it: never verified, only signed")
    func impostorKey() throws {
        let cli = try world()
        let issuerKey = try _RSA.Signing.PrivateKey(keySize: .bits2048), impostor = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let payload = BadgeFixtures.json(BadgeFixtures.assertion(identity: BadgeFixtures.sha256Identity("ana@example.org", salt: "pepper"),
                                                                 embedded: false, signed: true))
        let token = try BadgeFixtures.rs256(payload, key: impostor, embedKey: false)
        // The impostor's own key, in a key document that claims the issuer as its owner.
        let linked = [try write(cli, "b.json", BadgeFixtures.json(BadgeFixtures.badgeClass)),
                      try write(cli, "i.json", BadgeFixtures.json(BadgeFixtures.issuer(key: "https://issuer.test/key.json"))),
                      try write(cli, "k.json", BadgeFixtures.json(BadgeFixtures.cryptographicKey(pem: impostor.publicKey.pemRepresentation)))]
        let file = try write(cli, "s.jws", Array(token.utf8))
        #expect(try importJSON(cli, [file, "--linked"] + linked).first?["verification"] as? String
                == "signed (key supplied with the file, not confirmed with the issuer)")
        // Once the issuer's real key is trusted, the impostor's signature is refused.
        try cli.ok("issuer", "key", "add", "https://issuer.test/issuer.json", try write(cli, "real.pem", Array(issuerKey.publicKey.pemRepresentation.utf8)))
        #expect(try cli.fails(["import", "badges", file, "--learner", "ana", "--linked"] + linked)
                == "error: \(file): the signature matches no key trusted for https://issuer.test/issuer.json: the file was altered or is not the issuer's\n")
        #expect(try cli.ok("issuer", "key", "list", "--format", "csv").split(separator: "\n").count == 2)
        #expect(try cli.ok("issuer", "key", "remove", "https://issuer.test/issuer.json") == "no longer trusting 1 key for https://issuer.test/issuer.json\n")
        #expect(try cli.fails("issuer", "key", "add", "x", try write(cli, "private.jwk", Array(#"{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}"#.utf8)))
                == "error: the JWK holds a private key (its d): give the public key\n")
    }

    @Test("OB 3.0 VC-JWTs signed with the key in their header, RS256, ES256 and EdDSA: intact; VCDM 1.1 and 2.0 dates")
    func ob3Signed() throws {
        let cli = try world()
        let v2 = BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org"))
        let v11 = BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org", vcdm11: true))
        let rsa = try BadgeFixtures.rs256(v2, key: try _RSA.Signing.PrivateKey(keySize: .bits2048), embedKey: true)
        let ec = try BadgeFixtures.es256(v11, key: P256.Signing.PrivateKey())
        let ed = try JWS.signEdDSA(payload: Array(#"{"vc":"#.utf8) + v2 + Array("}".utf8), key: Curve25519.Signing.PrivateKey())
        for (name, token) in [("rsa.jwt", rsa), ("ec.jwt", ec), ("ed.jwt", ed)] {
            let rows = try importJSON(cli, [try write(cli, name, Array(token.utf8))])
            #expect(rows.first?["format"] as? String == "ob3-jwt", "\(name)")
            #expect(rows.first?["verification"] as? String == "intact (key carried by the credential)", "\(name)")
            #expect(rows.first?["credential"] as? String == "cloud-ess", "\(name): the humanCode is the code")
            #expect(rows.first?["earned_on"] as? String == "2026-05-01", "\(name)")
            #expect(rows.first?["recipient"] as? String == "match", "\(name)")
        }
        let shown = try cli.ok("award", "show", "ana", "cloud-ess", "--format", "json")
        #expect(shown.contains("\"expires_on\": \"2029-05-01\""))
        // The badge says nothing of hours: unknown, an empty cell, never 0.
        #expect(try cli.ok("credential", "show", "cloud-ess", "--format", "csv").contains(",certificate,,3,credits,"))
        // One achievement from three files: one credential, one award.
        #expect(try cli.ok("award", "list", "--format", "csv").split(separator: "\n").count == 2)
        // A signature that does not match its own key: refused.
        let bad = ec.dropLast(4) + "AAAA"
        #expect(try cli.fails("import", "badges", try write(cli, "bad.jwt", Array(bad.utf8)), "--learner", "ana", "--force")
                .contains("the signature does not match the key in its header"))
    }

    @Test("OB 3.0 JSON baked in PNG and SVG, a DID subject: imported, recipient not checked, proof not verified offline")
    func ob3Baked() throws {
        let cli = try world()
        var credential = BadgeFixtures.credential(email: nil)
        if case .object(var members) = credential {
            members.append(("proof", .object([("type", .string("DataIntegrityProof")), ("cryptosuite", .string("eddsa-rdfc-2022"))])))
            credential = .object(members)
        }
        let text = credential.serialized(pretty: false)
        let png = try PNGChunks.baking(BadgeFixtures.png, keyword: "openbadgecredential", text: text)
        let svg = SVGBadge.baking(BadgeFixtures.svg, element: "openbadges:credential",
                                  namespace: "https://purl.imsglobal.org/ob/v3p0", content: text)!
        let rows = try importJSON(cli, [try write(cli, "c.png", png), try write(cli, "c.svg", Array(svg.utf8))])
        #expect(rows.map { $0["format"] as? String } == ["ob3-png", "ob3-svg"])
        #expect(rows.allSatisfy { $0["recipient"] as? String == "not checked" })
        #expect(rows.allSatisfy { ($0["verification"] as? String ?? "").hasPrefix("not verified: an embedded eddsa-rdfc-2022 proof") })
        // The original comes back byte for byte: the newest one imported.
        let out = cli.directory.file("back.svg")
        try cli.ok("export", "badge", "ana", "cloud-ess", "-o", out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(svg.utf8))
    }

    @Test("a newer version of the same assertion updates the award and keeps both originals")
    func newerVersion() throws {
        let cli = try world()
        let identity = BadgeFixtures.sha256Identity("ana@example.org", salt: "pepper")
        let first = try write(cli, "v1.json", BadgeFixtures.json(BadgeFixtures.assertion(identity: identity, embedded: true)))
        let second = try write(cli, "v2.json", BadgeFixtures.json(BadgeFixtures.assertion(
            identity: identity, issuedOn: "2026-04-01T10:00:00Z", expires: "2028-04-01T00:00:00Z", embedded: true)))
        #expect(try importJSON(cli, [first]).first?["outcome"] as? String == "new")
        #expect(try importJSON(cli, [second]).first?["outcome"] as? String == "updated")
        let awards = try cli.ok("award", "list", "--format", "csv").split(separator: "\n")
        #expect(awards.count == 2 && awards[1].contains(",2026-04-01,2028-04-01,"))
        #expect(try cli.store().database.scalar(Int.self, "SELECT count(*) FROM badge_source") == 2)
    }

    /// `png` with `chunks` put just before its IEND chunk.
    func inserting(_ chunks: [[UInt8]], into png: [UInt8]) -> [UInt8] {
        let end = png.count - 12
        return Array(png[..<end]) + chunks.flatMap { $0 } + Array(png[end...])
    }

    @Test("11: thousands of compressed badge chunks are inflated within one budget a file, and refused past it")
    func decompressionBomb() throws {
        let (zeros, inflated) = ZeroStream.zlib(runs: 4_065)
        #expect(try Inflate.zlib(zeros, limit: 2 << 20) == [UInt8](repeating: 0, count: inflated))
        // Seventeen chunks of a little over a MiB each: under the limit one by one, over it together.
        let chunk = PNGChunks.chunk(type: "zTXt", data: Array("openbadges".utf8) + [0, 0] + zeros)
        let bomb = inserting(Array(repeating: chunk, count: 17), into: BadgeFixtures.png)
        #expect(bomb.count < 200_000)
        #expect(throws: CredfolioError.invalid("the PNG file's compressed badge chunks inflate to more than 16,777,216 bytes in all")) {
            try PNGChunks.texts(bomb)
        }
        let cli = try world()
        let path = try write(cli, "bomb.png", bomb)
        #expect(try cli.fails("import", "badges", path, "--learner", "ana")
                == "error: \(path): the PNG file's compressed badge chunks inflate to more than 16,777,216 bytes in all\n")
    }

    @Test("9: a PNG with two openbadges chunks that differ is refused as ambiguous; the same badge twice is read")
    func twoBakedBadges() throws {
        let one = BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org"))
        let other = BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org", name: "Another Badge"))
        func iTXt(_ text: [UInt8]) -> [UInt8] { PNGChunks.chunk(type: "iTXt", data: Array("openbadges".utf8) + [0, 0, 0, 0, 0] + text) }
        let cli = try world()
        let ambiguous = try write(cli, "two.png", inserting([iTXt(one), iTXt(other)], into: BadgeFixtures.png))
        #expect(try cli.fails("import", "badges", ambiguous, "--learner", "ana")
                == "error: \(ambiguous): the PNG image is ambiguous: it holds 2 baked-in badge chunks that differ; a baked badge holds one\n")
        let twice = try write(cli, "twice.png", inserting([iTXt(one), iTXt(one)], into: BadgeFixtures.png))
        #expect(try importJSON(cli, [twice]).count == 1)
    }

    @Test("9: a baked SVG holding an Open Badges 1.0 assertion (uid, identity, hosted) is refused as the URL-only badge it is")
    func legacySVG() throws {
        let assertion = #"{"uid":"abc123","identity":{"recipient":"sha256$00","hashed":true,"type":"email"},"#
            + #""verify":{"type":"hosted","url":"https://issuer.test/instance/1"},"badge":"https://issuer.test/badge1","issuedOn":"2014-01-01"}"#
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://issuer.test/instance/1"><![CDATA["#
            + assertion + "]]></openbadges:assertion></svg>"
        let cli = try world()
        let path = try write(cli, "legacy.svg", Array(svg.utf8))
        #expect(try cli.fails("import", "badges", path, "--learner", "ana")
                == "error: \(path): an Open Badges 1.0 assertion whose badge is only the URL https://issuer.test/badge1: it cannot be read offline\n")
    }

    @Test("9: achievements that share one id under different names are kept apart, with a note; nothing overwrites")
    func sharedAchievementID() throws {
        let shared = "https://issuer.test/achievements/shared"
        let credentials = (1...3).map { BadgeFixtures.credential(email: "ana@example.org", name: "Achievement \($0)", achievementID: shared) }
        let clr: JSONValue = .object([
            ("@context", .array([.string("https://www.w3.org/ns/credentials/v2")])), ("id", .string("urn:uuid:clr-shared")),
            ("type", .array([.string("VerifiableCredential"), .string("ClrCredential")])),
            ("issuer", .object([("id", .string("https://issuer.test")), ("name", .string("Issuer"))])),
            ("validFrom", .string("2026-05-01T00:00:00Z")),
            ("credentialSubject", .object([("type", .array([.string("ClrSubject")])), ("verifiableCredential", .array(credentials))])),
        ])
        let cli = try world()
        let path = try write(cli, "clr.json", BadgeFixtures.json(clr))
        let result = try cli.run(["import", "badges", path, "--learner", "ana", "--format", "csv"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { String($0[3]) } == ["Achievement 1", "Achievement 2", "Achievement 3"])
        #expect(rows.map { String($0[5]) } == ["new", "new", "new"])
        #expect(Set(rows.map { String($0[2]) }).count == 3)
        #expect(result.stderr == "note: \(path): the CLR's own signature or proof: not verified: the credential is not signed\n"
                + "note: achievement \(shared) is named both \"Achievement 1\" and \"Achievement 2\": kept as two credentials\n"
                + "note: achievement \(shared) is named both \"Achievement 1\" and \"Achievement 3\": kept as two credentials\n")
        #expect(try cli.ok("award", "list", "--format", "csv").split(separator: "\n").count == 4)
        // Again: the same three, unchanged.
        let again = try cli.run(["import", "badges", path, "--learner", "ana", "--format", "csv"])
        #expect(again.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",unchanged,") })
    }

    @Test("bad badge files: one error line naming the file and the reason, and the database unchanged")
    func badFiles() throws {
        let cli = try world()
        let valid = try PNGChunks.baking(BadgeFixtures.png, keyword: "openbadges", text: "{not json")
        var hugeChunk = PNGChunks.signature
        hugeChunk += [0x7F, 0xFF, 0xFF, 0xFF] + Array("tEXt".utf8) + [0, 0, 0, 0]
        var badCRC = BadgeFixtures.png
        badCRC[badCRC.count - 20] ^= 0xFF
        // The IDAT chunk's type, at byte 37 (after the signature and IHDR), with a line feed for its first letter.
        var badType = BadgeFixtures.png
        badType[37] = 0x0A
        let terminal = "https://issuer.test/a\u{1B}[2J\r\nmore\u{9B}1m"
        let cases: [(String, [UInt8], String)] = [
            ("truncated.png", Array(BadgeFixtures.png.prefix(30)), "the PNG file is truncated"),
            ("plain.png", BadgeFixtures.png, "the PNG image has no baked-in badge (no openbadges, openbadgecredential or clrcredential chunk)"),
            ("badjson.png", valid, "the badge's JSON is not valid"),
            ("huge.png", hugeChunk, "the PNG chunk tEXt claims 2,147,483,647 bytes, more than 16,777,216"),
            ("crc.png", badCRC, "fails its CRC check: the file is damaged"),
            ("empty.json", [], "the file is empty"),
            ("other.json", Array(#"{"type": "Person"}"#.utf8), "not an Open Badges or CLR document"),
            ("hosted.svg", Array(#"<svg><openbadges:assertion verify="https://issuer.test/a/1"></openbadges:assertion></svg>"#.utf8),
             "carries only the URL https://issuer.test/a/1"),
            ("type.png", badType, "the PNG file is damaged: a chunk's type at byte 37 is not four letters (0A 44 41 54)"),
            // Control characters from a file never reach the terminal: line breaks become spaces, the rest \u{…}.
            ("terminal.txt", Array(terminal.utf8), "carries only the URL https://issuer.test/a\\u{1b}[2J  more\\u{9b}1m: a hosted"),
        ]
        let before = try cli.fingerprint()
        for (name, bytes, reason) in cases {
            let path = try write(cli, name, bytes)
            let result = try cli.run(["import", "badges", path, "--learner", "ana"])
            #expect(result.status == 1, "\(name)")
            #expect(result.stderr.hasPrefix("error: \(path): ") && result.stderr.contains(reason) && result.stderr.filter { $0 == "\n" }.count == 1,
                    "\(name): \(result.stderr)")
            #expect(!result.stderr.unicodeScalars.dropLast().contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(name)")
        }
        // One bad file among good ones: nothing from the command is stored.
        let good = try write(cli, "good.json", BadgeFixtures.json(BadgeFixtures.assertion(
            identity: BadgeFixtures.sha256Identity("ana@example.org", salt: "pepper"), embedded: true)))
        #expect(try cli.fails("import", "badges", good, cli.directory.file("plain.png"), "--learner", "ana").contains("plain.png"))
        #expect(try cli.fingerprint() == before)
    }

    @Test("an award typed by hand has source null; export badge says it was not imported")
    func typedByHand() throws {
        let cli = try world()
        try cli.ok("credential", "add", "sql", "--title", "SQL")
        try cli.ok("award", "add", "ana", "sql", "--earned", "2026-01-01")
        #expect(try cli.ok("award", "show", "ana", "sql", "--format", "json").contains("\"source\": null"))
        #expect(try cli.fails("export", "badge", "ana", "sql") == "error: the award of sql to ana was typed in, not imported from a badge\n")
    }

    @Test("export clr: a CLR 2.0 credential that, imported into a new database, reproduces the learner's awards; signed, it is intact")
    func clrRoundTrip() throws {
        let cli = try world()
        try cli.ok("credential", "add", "sql", "--title", "SQL Basics", "--issuer", "Metro College", "--validity-months", "24")
        try cli.ok("award", "add", "ana", "sql", "--earned", "2026-01-10", "--evidence", "https://portfolio.test/sql")
        let ob3 = try JWS.signEdDSA(payload: BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org")),
                                    key: Curve25519.Signing.PrivateKey())
        _ = try importJSON(cli, [try write(cli, "c.jwt", Array(ob3.utf8))])
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code": "data", "title": "Data", "requires": {"all": [{"credential": "sql"}, {"credential": "cloud-ess"}]}}"#))
        let clr = try cli.ok("export", "clr", "ana", "--as-of", "2026-11-29")
        let object = try JSONSerialization.jsonObject(with: Data(clr.utf8)) as! [String: Any]
        #expect(object["type"] as? [String] == ["VerifiableCredential", "ClrCredential"])
        let subject = object["credentialSubject"] as! [String: Any]
        let inner = subject["verifiableCredential"] as! [Any]
        #expect(inner.count == 2)
        #expect(inner.contains { $0 as? String == ob3 })  // the imported OB 3.0 credential, verbatim
        #expect((subject["achievement"] as! [[String: Any]]).first?["humanCode"] as? String == "data")
        #expect((subject["association"] as! [[String: Any]]).count == 2)
        #expect(try cli.run(["key", "generate", cli.directory.file("k.jwk")], useDatabase: false).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: cli.directory.file("k.jwk"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try cli.ok("export", "clr", "ana", "--sign-key", cli.directory.file("k.jwk"), "-o", cli.directory.file("p.jwt"), "--as-of", "2026-11-29")
        let fresh = try CLI()
        try fresh.ok("learner", "add", "ana", "--name", "Ana", "--email", "ana@example.org")
        let rows = try importJSON(fresh, [cli.directory.file("p.jwt")])
        #expect(rows.map { $0["format"] as? String } == ["clr-jwt", "clr-jwt"])
        func awards(_ c: CLI) throws -> [String] {
            try c.ok("award", "list", "--format", "csv").split(separator: "\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().joined(separator: ",")
            }.sorted()
        }
        #expect(try awards(fresh) == awards(cli))
        // The portfolio's own signature is checked: a changed byte refuses it.
        let token = try String(contentsOfFile: cli.directory.file("p.jwt"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = token.split(separator: ".")
        let payload = String(decoding: Base64.decode(parts[1])!, as: UTF8.self).replacingOccurrences(of: "2026-01-10", with: "2026-01-11")
        let forged = try write(fresh, "forged.jwt", Array((parts[0] + "." + Base64.urlEncode(Array(payload.utf8)) + "." + parts[2]).utf8))
        #expect(try fresh.fails("import", "badges", forged, "--learner", "ana")
                == "error: \(forged): the signature does not match the key in its header: the file was altered\n")
    }
}

@Suite("Badges: conformance with the published examples in ../shared/interop")
struct InteropTests {
    static let folder: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/interop").path
        return FileManager.default.fileExists(atPath: path + "/README.md") ? path : nil
    }()

    @Test("every sample imports as its README line says", .enabled(if: folder != nil, "../shared/interop is not beside this checkout: skipped"))
    func samples() throws {
        let i = Self.folder!
        func run(_ cli: CLI, _ files: [String], email: String, linked: [String] = []) throws -> CommandResult {
            try cli.run(["import", "badges"] + files.map { "\(i)/\($0)" } + ["--learner", "l", "--format", "json"]
                        + (linked.isEmpty ? [] : ["--linked"] + linked.map { "\(i)/ob2/\($0)" }))
        }
        func world(_ email: String) throws -> CLI {
            let cli = try CLI()
            try cli.ok("learner", "add", "l", "--name", "L", "--email", email)
            return cli
        }
        func rows(_ result: CommandResult) -> [[String: String]] {
            #expect(result.status == 0, "\(result.stderr)")
            let parsed = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
            return parsed.map { $0.compactMapValues { $0 as? String } }
        }
        let classAndIssuer = ["robotics-badge_badgeclass.json", "organization_issuer.json"]
        // ob2/basic-assertion.json
        var cli = try world("nobody@example.org")
        var r = rows(try run(cli, ["ob2/basic-assertion.json"], email: "", linked: classAndIssuer))
        #expect(r.first?["title"] == "Awesome Robotics Badge" && r.first?["earned_on"] == "2016-12-31" && r.first?["recipient"] == "match")
        #expect(r.first?["verification"] == "not verified: hosted verification needs the issuer's server")
        #expect(try cli.ok("credential", "show", r.first?["credential"] ?? "", "--format", "json").contains("\"issuer\": \"An Example Badge Issuer\""))
        #expect(try cli.ok("award", "show", "l", r.first?["credential"] ?? "", "--format", "json").contains("\"expires_on\": null"))
        cli = try world("someone@example.org")
        #expect(try run(cli, ["ob2/basic-assertion.json"], email: "", linked: classAndIssuer).stderr.contains("issued to someone else"))
        #expect(rows(try cli.run(["import", "badges", "\(i)/ob2/basic-assertion.json", "--learner", "l", "--force", "--format", "json",
                                  "--linked"] + classAndIssuer.map { "\(i)/ob2/\($0)" })).first?["recipient"] == "forced")
        cli = try world("nobody@example.org")
        #expect(try run(cli, ["ob2/basic-assertion.json"], email: "").stderr.contains("https://example.org/robotics-badge.json"))
        // ob2/simple_signed.jwt and the baked PNG
        r = rows(try run(cli, ["ob2/simple_signed.jwt"], email: "", linked: classAndIssuer + ["key1_cryptographickey.json"]))
        #expect(r.first?["title"] == "Awesome Robotics Badge" && r.first?["earned_on"] == "2016-12-31"
                && r.first?["verification"] == "signed (key supplied with the file, not confirmed with the issuer)")
        // Trusted for the issuer, the key verifies it (its owner is the issuer, whose publicKey names it).
        let key1 = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(i)/ob2/key1_cryptographickey.json"))) as! [String: Any]
        let pem = cli.directory.file("key1.pem")
        try (key1["publicKeyPem"] as! String).write(toFile: pem, atomically: false, encoding: .utf8)
        try cli.ok("issuer", "key", "add", "https://example.org/organization.json", pem)
        r = rows(try run(cli, ["ob2/simple_signed.jwt"], email: "", linked: classAndIssuer + ["key1_cryptographickey.json"]))
        #expect(r.first?["verification"] == "verified")
        r = rows(try run(cli, ["ob2/dcpv_simple-badge.png"], email: "", linked: classAndIssuer))
        #expect(r.first?["format"] == "ob2-png" && r.first?["title"] == "Awesome Robotics Badge" && r.first?["earned_on"] == "2016-12-31")
        // ob2/bakery_baked_heart.png: OB 1.0, only a URL
        cli = try world("test@example.com")
        #expect(try run(cli, ["ob2/bakery_baked_heart.png"], email: "").stderr.contains("http://example.org/badge1"))
        // Open Badges 3.0
        cli = try world("any@example.org")
        r = rows(try run(cli, ["ob3/simple.json"], email: ""))
        #expect(r.first?["title"] == "Teamwork" && r.first?["earned_on"] == "2010-01-01" && r.first?["recipient"] == "not checked")
        #expect(r.first?["verification"]?.hasPrefix("not verified: an embedded eddsa-rdfc-2022 proof") == true)
        #expect(try cli.ok("credential", "show", r.first?["credential"] ?? "", "--format", "json").contains("\"issuer\": \"Example Corp\""))
        // The README calls it the same credential; the file's payload names no
        // achievement, only the credential "Example University Degree" of 2010-01-01.
        r = rows(try run(cli, ["ob3/simple.jwt"], email: ""))
        #expect(r.first?["earned_on"] == "2010-01-01" && r.first?["verification"] == "not verified: the JWT's header carries no key")
        r = rows(try run(cli, ["ob3/simple-jwt.png"], email: ""))
        #expect(r.first?["title"] == "Teamwork" && r.first?["verification"] == "intact (key carried by the credential)")
        r = rows(try run(cli, ["ob3/simple-json.svg"], email: ""))
        #expect(r.first?["title"] == "Teamwork" && r.first?["format"] == "ob3-svg"
                && r.first?["verification"]?.hasPrefix("not verified") == true)
        // CLR 2.0
        r = rows(try run(cli, ["clr/simple.json"], email: ""))
        #expect(r.count == 1 && r.first?["title"] == "Teamwork" && r.first?["earned_on"] == "2010-01-01")
        #expect(r.first?["verification"]?.hasPrefix("not verified: an embedded eddsa-rdfc-2022 proof") == true)
        r = rows(try run(cli, ["clr/simple.jwt"], email: ""))
        #expect(!r.isEmpty && r.allSatisfy { $0["format"] == "clr-jwt" })
        // The same credential from several files is one catalog credential, one award per date.
        let teamwork = try cli.ok("award", "list", "--credential", "example-corp-teamwork", "--format", "csv").split(separator: "\n")
        #expect(teamwork.count == 2)
    }
}

@Suite("Badges: compressed PNG text chunks, read defensively")
struct InflateTests {

    @Test("stored, fixed and dynamic Huffman blocks inflate exactly; damage and a bad Adler-32 are refused")
    func inflate() throws {
        #expect(try Inflate.zlib(DeflateSamples.bytes(DeflateSamples.stored), limit: 1 << 20) == Array(DeflateSamples.credential.utf8))
        #expect(try Inflate.zlib(DeflateSamples.bytes(DeflateSamples.dynamic), limit: 1 << 20) == Array(DeflateSamples.credential.utf8))
        #expect(try Inflate.zlib(DeflateSamples.bytes("78dacb48cdc9c957c800910019910449"), limit: 100) == Array("hello hello".utf8))
        var damaged = DeflateSamples.bytes(DeflateSamples.dynamic)
        damaged[damaged.count - 1] ^= 1
        #expect(throws: CredfolioError.self) { try Inflate.zlib(damaged, limit: 1 << 20) }
        #expect(throws: CredfolioError.invalid("the compressed chunk inflates to more than 10 bytes")) {
            try Inflate.zlib(DeflateSamples.bytes(DeflateSamples.dynamic), limit: 10)
        }
    }

    @Test("a badge in a zTXt chunk, or a compressed iTXt, is read like an uncompressed one")
    func compressedChunks() throws {
        let data = Array("openbadgecredential".utf8) + [0, 0] + DeflateSamples.bytes(DeflateSamples.dynamic)
        var png = PNGChunks.signature + PNGChunks.chunk(type: "IHDR", data: [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        png += PNGChunks.chunk(type: "zTXt", data: data) + PNGChunks.chunk(type: "IEND", data: [])
        let badges = try BadgeReader().read(png)
        #expect(badges.first?.name == "Compression Basics" && badges.first?.format == "ob3-png")
        let itxt = Array("openbadgecredential".utf8) + [0, 1, 0, 0, 0] + DeflateSamples.bytes(DeflateSamples.stored)
        var png2 = PNGChunks.signature + PNGChunks.chunk(type: "iTXt", data: itxt)
        png2 += PNGChunks.chunk(type: "IEND", data: [])
        #expect(try BadgeReader().read(png2).first?.code == "zip-basics")
    }
}
