//! An issued document as a PDF/A-3b (archival; the form Factur-X builds
//! on), drawn with krilla from the frozen document alone: the same document
//! always gives the same bytes (no clock, no randomness: the PDF's dates are
//! the issue date).

use comptoir_shared::calendar::{paris_date, paris_offset_ms};
use comptoir_shared::invoice::{DocumentKind, InvoiceDocument, RateAmount, decimal_fr, rate_fr};
use comptoir_shared::lang::Lang;
use comptoir_shared::pricing::ShippingMethodCode;
use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`):
/// French text, the euro sign; subset into each PDF.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// A4, in points.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 48.0;
const RIGHT: f32 = WIDTH - 48.0;
/// Where a page's text stops (the footer lies below).
const BOTTOM: f32 = HEIGHT - 90.0;

/// `12,34 €`.
fn eur(cents: i64) -> String {
    format!("{} €", decimal_fr(cents))
}

/// `06/12/2026`, in Paris.
pub fn date_fr(ms: i64) -> String {
    let (y, m, d) = paris_date(ms);
    format!("{d:02}/{m:02}/{y}")
}

/// What the operation is (a mention the law requires).
const OPERATION: &str = "Nature de l'opération : livraison de biens";

/// Business buyers: terms, penalties and the recovery indemnity
/// (art. L441-9 and L441-10 of the Code de commerce).
pub(super) const BUSINESS_TERMS: [&str; 3] = [
    "Conditions de paiement : comptant, à la commande. Pas d'escompte pour paiement anticipé.",
    "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de l'échéance.",
    "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €.",
];

/// The VAT-franchise mention (art. 293 B of the CGI).
const FRANCHISE: &str = "TVA non applicable, art. 293 B du CGI.";

/// Why a document charges no VAT, with the code EN 16931 gives the reason
/// (BT-121) when its list has one: the franchise (art. 293 B of the CGI),
/// or an intra-EU delivery to a business (art. 262 ter, I; the buyer
/// accounts for the VAT).
pub(super) fn exemption(doc: &InvoiceDocument) -> Option<(&'static str, Option<&'static str>)> {
    if doc.seller.vat_franchise {
        Some((FRANCHISE, None))
    } else if doc.reverse_charge {
        Some((
            "Exonération de TVA, article 262 ter, I du CGI : livraison intracommunautaire.",
            Some("VATEX-EU-IC"),
        ))
    } else {
        None
    }
}

/// What the document says about its VAT: why none is charged, or whose
/// VAT it is when the goods went to a consumer elsewhere in the EU.
fn vat_mention(doc: &InvoiceDocument) -> Option<String> {
    if let Some((text, _)) = exemption(doc) {
        return Some(text.to_owned());
    }
    let country = doc.vat_country.as_str();
    (country != "FR").then(|| {
        format!(
            "TVA du pays de livraison ({}), déclarée au guichet unique (OSS).",
            comptoir_shared::checkout::country_name(country, comptoir_shared::lang::Lang::Fr)
        )
    })
}

/// Every mention the document carries, in print order, for tests to look
/// for in the rendered text.
pub fn mentions(doc: &InvoiceDocument) -> Vec<String> {
    let s = &doc.seller;
    let mut out = vec![
        format!("{} {}", doc.kind.title(), doc.number),
        format!("Date d'émission : {}", date_fr(doc.issued_at_ms)),
        format!(
            "{} {} au capital de {}",
            s.name, s.legal_form, s.share_capital
        ),
        format!("SIREN {} RCS {}", s.siren.as_str(), s.rcs_city),
        OPERATION.to_owned(),
        format!("Total TTC {}", eur(doc.amounts.total.amount)),
    ];
    if let Some(vat) = &s.vat_number {
        out.push(format!("TVA intracommunautaire {}", vat.as_str()));
    }
    out.extend(vat_mention(doc));
    if doc.is_business() {
        out.extend(BUSINESS_TERMS.iter().map(|t| (*t).to_owned()));
    }
    out
}

/// Lays text out top to bottom, page after page.
struct Writer<'a> {
    document: &'a mut Document,
    font: Font,
    face: rustybuzz::Face<'static>,
    pages: Vec<Vec<(f32, f32, f32, String)>>,
    rules: Vec<Vec<f32>>,
    y: f32,
}

impl Writer<'_> {
    /// Moves down by `dy`, starting a new page when the text would run
    /// into the footer.
    fn down(&mut self, dy: f32) {
        self.y += dy;
        if self.y > BOTTOM {
            self.pages.push(Vec::new());
            self.rules.push(Vec::new());
            self.y = 60.0;
        }
    }

    /// `text` with what the font cannot draw spelled `?` (PDF/A refuses a
    /// missing glyph, and a document must always render: a buyer may write
    /// their name in any script).
    fn drawable(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_whitespace() {
                    ' '
                } else if self.face.glyph_index(c).is_some() {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    fn text(&mut self, x: f32, size: f32, text: impl Into<String>) {
        let y = self.y;
        let text = self.drawable(&text.into());
        if let Some(page) = self.pages.last_mut() {
            page.push((x, y, size, text));
        }
    }

    /// Text ending at `right`.
    fn right(&mut self, right: f32, size: f32, text: impl Into<String>) {
        let text = self.drawable(&text.into());
        let width = self.width(&text, size);
        self.text(right - width, size, text);
    }

    /// The width of `text` at `size`, shaped as krilla will draw it.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.face.units_per_em().max(1) as f32
    }

    fn rule(&mut self) {
        let y = self.y;
        if let Some(rules) = self.rules.last_mut() {
            rules.push(y);
        }
    }

    /// One line of the document: a label and, to the right, an amount.
    fn amount_line(&mut self, label: &str, amount: String) {
        self.down(14.0);
        self.text(330.0, 9.0, label);
        self.right(RIGHT, 9.0, amount);
    }

    fn finish(self, footer: &str) {
        let footer = self.drawable(footer);
        let count = self.pages.len();
        for (n, (page_text, rules)) in self.pages.into_iter().zip(self.rules).enumerate() {
            let Some(settings) = PageSettings::from_wh(WIDTH, HEIGHT) else {
                return;
            };
            let mut page = self.document.start_page_with(settings);
            let mut surface = page.surface();
            for y in rules {
                draw_rule(&mut surface, y + 4.0);
            }
            for (x, y, size, text) in page_text {
                surface.draw_text(
                    Point::from_xy(x, y),
                    self.font.clone(),
                    size,
                    &text,
                    false,
                    TextDirection::Auto,
                );
            }
            surface.draw_text(
                Point::from_xy(LEFT, HEIGHT - 40.0),
                self.font.clone(),
                7.0,
                &footer,
                false,
                TextDirection::Auto,
            );
            surface.draw_text(
                Point::from_xy(RIGHT - 40.0, HEIGHT - 28.0),
                self.font.clone(),
                7.0,
                &format!("Page {}/{count}", n + 1),
                false,
                TextDirection::Auto,
            );
            surface.finish();
            page.finish();
        }
    }
}

fn draw_rule(surface: &mut Surface<'_>, y: f32) {
    let mut path = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(LEFT, y, RIGHT - LEFT, 0.5) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(Fill {
            paint: luma::Color::new(160).into(),
            ..Fill::default()
        }));
        surface.draw_path(&path);
        surface.set_fill(Some(Fill::default()));
    }
}

/// Splits `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let Some(line) = lines.last_mut() else { break };
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// The PDF's own date: the issue instant, in Paris.
fn pdf_date(ms: i64) -> DateTime {
    let local = ms + paris_offset_ms(ms);
    let (y, m, d) = paris_date(ms);
    let secs = local.rem_euclid(86_400_000) / 1000;
    let small = |v: i64| u8::try_from(v).unwrap_or(0);
    DateTime::new(u16::try_from(y).unwrap_or(2026))
        .month(small(i64::from(m)))
        .day(small(i64::from(d)))
        .hour(small(secs / 3600))
        .minute(small(secs % 3600 / 60))
        .second(small(secs % 60))
}

/// The document as a PDF/A-3b; a business buyer's is a Factur-X (its CII
/// XML embedded, the Factur-X XMP properties set).
pub fn render(doc: &InvoiceDocument) -> anyhow::Result<Vec<u8>> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(|e| anyhow::anyhow!("PDF configuration: {e:?}"))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    let font = Font::new(FONT.to_vec().into(), 0)
        .ok_or_else(|| anyhow::anyhow!("the bundled font does not load"))?;
    let seller = &doc.seller;
    let footer = format!(
        "{} {} au capital de {} · {}, {} {} · SIREN {} RCS {}{}",
        seller.name,
        seller.legal_form,
        seller.share_capital,
        seller.street,
        seller.postal_code,
        seller.city,
        seller.siren.as_str(),
        seller.rcs_city,
        seller
            .vat_number
            .as_ref()
            .map(|v| format!(" · TVA {}", v.as_str()))
            .unwrap_or_default()
    );
    let face = rustybuzz::Face::from_slice(FONT, 0)
        .ok_or_else(|| anyhow::anyhow!("the bundled font does not shape"))?;
    let mut w = Writer {
        document: &mut document,
        font,
        face,
        pages: vec![Vec::new()],
        rules: vec![Vec::new()],
        y: 60.0,
    };
    // The seller, top left; the document, top right.
    w.text(LEFT, 13.0, format!("{} {}", seller.name, seller.legal_form));
    w.right(RIGHT, 15.0, format!("{} {}", doc.kind.title(), doc.number));
    let head_right = [
        format!("Date d'émission : {}", date_fr(doc.issued_at_ms)),
        format!("Commande {}", doc.order_id),
        format!("Date de la vente : {}", date_fr(doc.ordered_at_ms)),
    ];
    let head_left = [
        seller.street.clone(),
        format!("{} {}", seller.postal_code, seller.city),
        format!(
            "{} {} au capital de {}",
            seller.name, seller.legal_form, seller.share_capital
        ),
        format!("SIREN {} RCS {}", seller.siren.as_str(), seller.rcs_city),
        seller
            .vat_number
            .as_ref()
            .map(|v| format!("TVA intracommunautaire {}", v.as_str()))
            .unwrap_or_else(|| FRANCHISE.to_owned()),
    ];
    for (i, left) in head_left.into_iter().enumerate() {
        w.down(13.0);
        w.text(LEFT, 8.5, left);
        if let Some(right) = head_right.get(i) {
            w.right(RIGHT, 8.5, right.clone());
        }
    }
    if let Some(corrects) = &doc.corrects {
        w.down(13.0);
        w.right(
            RIGHT,
            8.5,
            format!(
                "Rectifie la facture {} du {}",
                corrects.number,
                date_fr(corrects.issued_at_ms)
            ),
        );
    }
    // The buyer, and the delivery address when it differs.
    w.down(30.0);
    w.text(LEFT, 9.5, "Facturé à");
    if doc.buyer.delivery.is_some() {
        w.text(310.0, 9.5, "Livré à");
    }
    let mut billed: Vec<String> = Vec::new();
    if let Some(company) = &doc.buyer.company {
        billed.push(company.name.clone());
        if let Some(siren) = &company.siren {
            billed.push(format!("SIREN {}", siren.as_str()));
        }
        if let Some(vat) = &company.vat_number {
            billed.push(format!("TVA {}", vat.as_str()));
        }
    }
    let b = &doc.buyer.billing;
    billed.extend(
        [
            b.name.clone(),
            b.line1.clone(),
            b.line2.clone(),
            format!("{} {} {}", b.postal_code, b.city, b.country),
            doc.buyer.email.clone(),
        ]
        .into_iter()
        .filter(|l| !l.trim().is_empty()),
    );
    let delivered: Vec<String> = doc
        .buyer
        .delivery
        .iter()
        .flat_map(|d| {
            [
                d.name.clone(),
                d.line1.clone(),
                d.line2.clone(),
                format!("{} {} {}", d.postal_code, d.city, d.country),
            ]
        })
        .filter(|l| !l.trim().is_empty())
        .collect();
    // Each column wrapped to its width.
    let column =
        |lines: Vec<String>| -> Vec<String> { lines.iter().flat_map(|l| wrap(l, 46)).collect() };
    let (billed, delivered) = (column(billed), column(delivered));
    for i in 0..billed.len().max(delivered.len()) {
        w.down(12.0);
        if let Some(line) = billed.get(i) {
            w.text(LEFT, 9.0, line.clone());
        }
        if let Some(line) = delivered.get(i) {
            w.text(310.0, 9.0, line.clone());
        }
    }
    w.down(22.0);
    w.text(LEFT, 8.5, OPERATION);
    if !doc.reason.is_empty() {
        for line in wrap(&format!("Motif : {}", doc.reason), 100) {
            w.down(12.0);
            w.text(LEFT, 8.5, line);
        }
    }
    // The lines.
    w.down(22.0);
    for (x, label) in [(LEFT, "Désignation"), (300.0, "Qté")] {
        w.text(x, 8.5, label);
    }
    w.right(400.0, 8.5, "PU HT");
    w.right(455.0, 8.5, "TVA");
    w.right(RIGHT, 8.5, "Total HT");
    w.rule();
    for line in &doc.amounts.lines {
        w.down(14.0);
        let mut text = line.description.clone();
        if !line.sku.is_empty() {
            text = format!("{text} (réf. {})", line.sku);
        }
        let wrapped = wrap(&text, 52);
        w.text(LEFT, 8.5, wrapped.first().cloned().unwrap_or_default());
        w.text(300.0, 8.5, line.quantity.to_string());
        let unit = line.unit_net_e4();
        w.right(400.0, 8.5, eur_e4(unit));
        w.right(455.0, 8.5, rate_fr(line.rate_bps));
        w.right(RIGHT, 8.5, eur(line.net.amount));
        for more in wrapped.iter().skip(1) {
            w.down(11.0);
            w.text(LEFT + 8.0, 8.5, more.clone());
        }
    }
    let per_rate = |w: &mut Writer<'_>, label: &str, list: &[RateAmount], sign: i64| {
        for r in list {
            w.down(14.0);
            w.text(
                LEFT,
                8.5,
                format!("{label} ({} TTC)", eur(sign * r.gross.amount)),
            );
            w.right(455.0, 8.5, rate_fr(r.rate_bps));
            w.right(RIGHT, 8.5, eur(sign * r.net.amount));
        }
    };
    per_rate(&mut w, "Remise", &doc.amounts.discounts, -1);
    let method = ShippingMethodCode::parse(&doc.shipping_method)
        .map_or(doc.shipping_method.as_str(), |m| m.name(Lang::Fr));
    per_rate(
        &mut w,
        &format!("Frais de port, {method}"),
        &doc.amounts.shipping,
        1,
    );
    w.rule();
    // VAT per rate, then the totals.
    w.down(22.0);
    w.text(LEFT, 8.5, "Taux de TVA");
    w.right(200.0, 8.5, "Base HT");
    w.right(270.0, 8.5, "TVA");
    for v in &doc.amounts.vat {
        w.down(13.0);
        w.text(LEFT, 8.5, rate_fr(v.rate_bps));
        w.right(200.0, 8.5, eur(v.base.amount));
        w.right(270.0, 8.5, eur(v.vat.amount));
    }
    w.amount_line("Total HT", eur(doc.amounts.total_net.amount));
    w.amount_line("Total TVA", eur(doc.amounts.total_vat.amount));
    w.down(16.0);
    w.text(330.0, 11.0, "Total TTC");
    w.right(RIGHT, 11.0, eur(doc.amounts.total.amount));
    // How it was settled, and the mentions.
    w.down(26.0);
    let settled = match doc.kind {
        DocumentKind::Invoice => "Payée le",
        DocumentKind::CreditNote => "Remboursé le",
    };
    w.text(
        LEFT,
        8.5,
        format!(
            "{settled} {} — {} (réf. {})",
            date_fr(doc.payment.at_ms),
            doc.payment.method,
            doc.payment.reference
        ),
    );
    if let Some(mention) = vat_mention(doc) {
        w.down(12.0);
        w.text(LEFT, 8.5, mention);
    }
    if doc.is_business() {
        for term in BUSINESS_TERMS {
            w.down(12.0);
            w.text(LEFT, 8.0, term);
        }
    }
    w.finish(&footer);
    let date = pdf_date(doc.issued_at_ms);
    document.set_metadata(
        Metadata::new()
            .title(format!("{} {}", doc.kind.title(), doc.number))
            .creator(seller.name.clone())
            .creation_date(date),
    );
    if doc.is_business() {
        document.embed_file(EmbeddedFile {
            path: super::facturx::FILE_NAME.to_owned(),
            mime_type: MimeType::new("text/xml"),
            description: Some(format!("Factur-X (EN 16931) de {}", doc.number)),
            association_kind: AssociationKind::Alternative,
            data: super::facturx::cii(doc).into_bytes().into(),
            modification_date: Some(date),
            compress: Some(true),
            location: None,
        });
    }
    let pdf = document
        .finish()
        .map_err(|e| anyhow::anyhow!("PDF of {}: {e:?}", doc.number))?;
    if doc.is_business() {
        factur_x_metadata(&pdf)
    } else {
        Ok(pdf)
    }
}

/// Sets the Factur-X properties in the XMP packet krilla wrote (krilla 0.8
/// writes no custom XMP), through lopdf.
fn factur_x_metadata(pdf: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut file = lopdf::Document::load_mem(pdf)?;
    let metadata = file.catalog()?.get(b"Metadata")?.as_reference()?;
    let stream = file.get_object_mut(metadata)?.as_stream_mut()?;
    let xmp = String::from_utf8(stream.content.clone())?;
    let xmp = super::facturx::with_fx_properties(&xmp)
        .ok_or_else(|| anyhow::anyhow!("krilla's XMP packet has no rdf:RDF"))?;
    stream.set_content(xmp.into_bytes());
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    file.save_to(&mut out)?;
    Ok(out)
}

/// `12,3456 €` trimmed to two decimals when the last two are zero.
fn eur_e4(e4: i64) -> String {
    if e4 % 100 == 0 {
        eur(e4 / 100)
    } else {
        let sign = if e4 < 0 { "-" } else { "" };
        let abs = e4.unsigned_abs();
        format!("{sign}{},{:04} €", abs / 10_000, abs % 10_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_wrap_at_spaces() {
        assert_eq!(
            wrap("Chemise en lin — Bleu · M", 12),
            ["Chemise en", "lin — Bleu ·", "M"]
        );
        assert_eq!(eur_e4(123_400), "12,34 €");
        assert_eq!(eur_e4(123_456), "12,3456 €");
    }
}
