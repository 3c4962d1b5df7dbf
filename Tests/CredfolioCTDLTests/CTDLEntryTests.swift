import Testing
import CredfolioCore
import CredfolioCTDL

@Suite("CTDL: a record as a catalog entry")
struct CTDLEntryTests {
    /// A certification with `extra` members, in a graph with an organization.
    func entry(_ extra: String, type: String = "ceterms:Certification") throws -> CTDLEntry? {
        let record = """
            {"@id": "https://x.test/resources/ce-11111111-2222-4333-8444-555555555555", "@type": "\(type)",
             "ceterms:ctid": "ce-11111111-2222-4333-8444-555555555555", "ceterms:name": {"en": "Cloud"}\(extra.isEmpty ? "" : ", " + extra)}
            """
        let organization = """
            {"@id": "https://x.test/resources/ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "@type": "ceterms:CredentialOrganization",
             "ceterms:ctid": "ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "ceterms:name": "Cloud Board"}
            """
        var graph = CTDLGraph()
        try graph.add(file: Array(("{\"@graph\": [" + record + "," + organization + "]}").utf8), name: "g.json")
        return CTDLEntry(graph.nodes[0], in: graph)
    }

    func cost(_ price: String, _ currency: String, _ type: String) -> String {
        #"{"@type": "ceterms:CostProfile", "ceterms:price": \#(price), "ceterms:currency": "\#(currency)", "ceterms:directCostType": "costType:\#(type)"}"#
    }

    @Test("the cost is the aggregate cost when stated, else the required costs summed, renewal fees and optional charges left out")
    func costs() throws {
        let aggregate = try entry(#""ceterms:estimatedCost": [\#(cost("392", "USD", "StandaloneAssessment")), \#(cost("404", "USD", "AggregateCost"))]"#)
        #expect(aggregate?.costCents == 40_400 && aggregate?.costNote == "the aggregate cost")
        let summed = try entry(#""ceterms:estimatedCost": [\#(cost("253", "USD", "Tuition")), \#(cost("99.50", "USD", "Application")), \#(cost("99", "USD", "OptionalCharges")), \#(cost("50", "USD", "RenewalFee"))]"#)
        #expect(summed?.costCents == 35_250 && summed?.currency == "USD" && summed?.costNote == "the sum of the required costs")
        let words = try entry(#""ceterms:estimatedCost": [\#(cost("1535", "US Dollar", "Tuition"))]"#)
        #expect(words?.costCents == 153_500 && words?.currency == "USD")
        let several = try entry(#""ceterms:estimatedCost": [\#(cost("10", "USD", "Tuition")), \#(cost("10", "EUR", "Tuition"))]"#)
        #expect(several?.costCents == nil && several?.costNote == "costs in several currencies: EUR, USD")
        let renewalOnly = try entry(#""ceterms:estimatedCost": [\#(cost("65", "USD", "RenewalFee"))]"#)
        #expect(renewalOnly?.costCents == nil && renewalOnly?.costNote == "no required cost (renewal fees and optional charges are left out)")
        let odd = try entry(#""ceterms:estimatedCost": [\#(cost("10", "Doubloons", "Tuition"))]"#)
        #expect(odd?.costCents == nil && odd?.costNote == "a price in a currency not understood: \"Doubloons\"")
        let none = try entry("")
        #expect(none?.costCents == nil && none?.costNote == nil && none?.weeks == nil && none?.hours == nil)
    }

    @Test("the issuer is the owner's name when its node is there, else the offerer, else the reference as written")
    func issuers() throws {
        #expect(try entry(#""ceterms:ownedBy": ["https://other.test/graph/CE-AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"]"#)?.issuer == .named("Cloud Board"))
        #expect(try entry(#""ceterms:offeredBy": "https://x.test/resources/ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee""#)?.issuer == .named("Cloud Board"))
        #expect(try entry(#""ceterms:ownedBy": ["https://x.test/resources/ce-00000000-0000-4000-8000-000000000000"]"#)?.issuer
                == .unresolved("https://x.test/resources/ce-00000000-0000-4000-8000-000000000000"))
        #expect(try entry("")?.issuer == nil)
    }

    @Test("every delivery mode is kept once; renewal frequency in months; hours from timeRequired or an hours-only duration")
    func deliveryValidityHours() throws {
        let both = try entry(#""ceterms:learningDeliveryType": ["deliveryType:InPerson"], "ceterms:deliveryType": ["deliveryType:InPerson", "deliveryType:BlendedDelivery"], "ceterms:renewalFrequency": "P3Y", "ceterms:estimatedDuration": [{"ceterms:exactDuration": "PT160H"}]"#)
        #expect(both?.deliveries == [.inPerson, .hybrid] && both?.validityMonths == 36 && both?.hours == 160 && both?.weeks == nil)
        let range = try entry(#""ceterms:estimatedDuration": [{"ceterms:minimumDuration": "P6W", "ceterms:maximumDuration": "P10W", "ceterms:timeRequired": "PT90H"}]"#)
        #expect(range?.weeks == 10 && range?.hours == 90)
    }

    @Test("credential classes, learning opportunities and assessments are entries; organizations, pathways and components are not")
    func kinds() throws {
        #expect(try entry("", type: "ceterms:OpenBadge")?.kind == .badge)
        #expect(try entry("", type: "ceterms:MicroCredential")?.kind == .microCredential)
        #expect(try entry("", type: "ceterms:BachelorDegree")?.kind == .degree)
        #expect(try entry("", type: "ceterms:AssessmentProfile")?.kind == .assessment)
        #expect(try entry("", type: "ceterms:CredentialOrganization") == nil)
        #expect(try entry("", type: "ceterms:Pathway") == nil)
        #expect(try entry("", type: "ceterms:CredentialComponent") == nil)
    }
}
