#!/usr/bin/env python3
"""Test helper: write a one-page PDF and (optionally) embed a CII XML as Factur-X.

    make_pdf.py OUT.pdf [INVOICE.xml]

Run with the venv python (needs factur-x). The visual page is a hand-written PDF with the
invoice number/total as text; factur-x adds factur-x.xml, /AF, and the XMP metadata. The
result is not a certified PDF/A-3 (no ICC output intent / font embedding): check.py does
not run a PDF/A validator (that needs veraPDF, Java).
"""
import sys

from lxml import etree


def simple_pdf(lines):
    def esc(t):
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "50 800 Td", "16 TL"]
    ops += [f"({esc(t)}) '" for t in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1", "replace")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def main():
    out = sys.argv[1]
    xml = open(sys.argv[2], "rb").read() if len(sys.argv) > 2 else None
    lines = ["Facture (test e2e Factur-X)"]
    if xml:
        ns = {
            "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        }
        root = etree.fromstring(xml)
        lines.append("No " + "".join(root.xpath("//rsm:ExchangedDocument/ram:ID/text()", namespaces=ns)))
        lines.append("Total TTC " + "".join(root.xpath("//ram:GrandTotalAmount/text()", namespaces=ns)) + " EUR")
    pdf = simple_pdf(lines)
    if xml:
        import facturx

        # check_xsd=False so that deliberately broken XML can be embedded for negative tests
        pdf = facturx.generate_from_binary(pdf, xml, flavor="factur-x", check_xsd=False)
    with open(out, "wb") as f:
        f.write(pdf)


if __name__ == "__main__":
    main()
