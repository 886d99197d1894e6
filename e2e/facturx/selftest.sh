#!/usr/bin/env bash
# Self-test of check.py: builds Factur-X PDFs from the samples (and broken variants) and checks
# that valid ones pass and broken ones fail with the expected rule ids.
#   usage: selftest.sh            (env FX_VENV: venv dir, default /tmp/fx-venv)
# Ends with the line "N passed, M failed"; exit 0 only if every case behaved as expected.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${FX_VENV:-/tmp/fx-venv}"
bash "$HERE/install.sh" "$VENV" >&2 || { echo "install.sh failed"; exit 2; }
PY="$VENV/bin/python"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
pass=0; fail=0

# case NAME EXPECTED_RC MUST_CONTAIN CHECK_ARGS...
case_() {
  local name="$1" want="$2" grep_for="$3"; shift 3
  local out rc
  out="$("$PY" "$HERE/check.py" "$@" 2>&1)"; rc=$?
  if [ "$rc" = "$want" ] && { [ -z "$grep_for" ] || grep -qE -- "$grep_for" <<<"$out"; }; then
    pass=$((pass+1)); echo "ok   - $name (rc=$rc)"
  else
    fail=$((fail+1)); echo "FAIL - $name (rc=$rc, want $want, expect /$grep_for/)"; sed 's/^/      /' <<<"$out"
  fi
}

# valid documents, embedded in PDFs
"$PY" "$HERE/make_pdf.py" "$T/invoice.pdf" "$HERE/sample-en16931.xml"
"$PY" "$HERE/make_pdf.py" "$T/credit.pdf"  "$HERE/sample-credit-note.xml"
"$PY" "$HERE/make_pdf.py" "$T/minimal.pdf" "$HERE/sample-minimal-en16931.xml"
"$PY" "$HERE/make_pdf.py" "$T/plain.pdf"
case_ "full invoice PDF passes EN16931 + FR-CTC"  0 "^PASS" "$T/invoice.pdf" --fr-ctc --expect-total 72.45
case_ "credit note PDF passes EN16931 + FR-CTC"   0 "^PASS" "$T/credit.pdf"  --fr-ctc --expect-total 27.00
case_ "minimal invoice PDF passes EN16931"        0 "^PASS" "$T/minimal.pdf" --expect-total 60.00
case_ "minimal invoice fails FR-CTC (no BT-23/34/49, notes)" 1 "BR-FR-05_BT-22_PMT" "$T/minimal.pdf" --fr-ctc
case_ "bare XML input is accepted"                0 "^PASS" "$HERE/sample-en16931.xml"

# broken documents
case_ "PDF without embedded XML fails"            1 "no factur-x.xml" "$T/plain.pdf"
case_ "wrong --expect-total fails"                1 "!= expected 99.99" "$T/invoice.pdf" --expect-total 99.99
sed 's#<ram:GrandTotalAmount>72.45#<ram:GrandTotalAmount>72.55#' "$HERE/sample-en16931.xml" > "$T/bad-total.xml"
"$PY" "$HERE/make_pdf.py" "$T/bad-total.pdf" "$T/bad-total.xml"
case_ "grand total != basis + VAT fails (BR-CO-15, BR-CO-16)" 1 "id=BR-CO-15.*" "$T/bad-total.pdf"
sed 's#<ram:LineTotalAmount>12.00</ram:LineTotalAmount>#<ram:LineTotalAmount>12.10</ram:LineTotalAmount>#' "$HERE/sample-en16931.xml" > "$T/bad-line.xml"
case_ "line sum != BT-106 fails (BR-CO-10, BR-S-08)" 1 "id=BR-CO-10" "$T/bad-line.xml"
sed 's#<ram:CalculatedAmount>10.00</ram:CalculatedAmount>#<ram:CalculatedAmount>11.50</ram:CalculatedAmount>#; s#10.65</ram:TaxTotalAmount>#12.15</ram:TaxTotalAmount>#; s#72.45</ram:GrandTotalAmount>#73.95</ram:GrandTotalAmount>#; s#72.45</ram:TotalPrepaidAmount>#73.95</ram:TotalPrepaidAmount>#' "$HERE/sample-en16931.xml" > "$T/bad-vat.xml"
case_ "VAT off by 1.50 fails (BR-CO-17, BR-S-09)" 1 "id=BR-CO-17" "$T/bad-vat.xml"
sed 's#<ram:TypeCode>380</ram:TypeCode>#<ram:TypeCode>380</ram:TypeCode><ram:Foo>x</ram:Foo>#' "$HERE/sample-en16931.xml" > "$T/bad-xsd.xml"
case_ "XSD-invalid XML fails"                     1 "XSD: " "$T/bad-xsd.xml"
sed 's#urn:cen.eu:en16931:2017#urn:factur-x.eu:1p0:basic#' "$HERE/sample-minimal-en16931.xml" > "$T/basic.xml"
case_ "non-EN16931 profile is refused"            1 "profile is 'basic'" "$T/basic.xml"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
