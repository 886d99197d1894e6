"""Schemathesis hooks for the Comptoir fuzzing runs (see run.sh).

Every request of a run, in every phase:
- carries the run's session (`COMPTOIR_FUZZ_ROLE`: anonymous, customer, a
  staff role, or `session` — a run that signs in and changes its own
  password, its session kept up to date from each answer);
- names real resources: path parameters that look valid are replaced by the
  ids `fixtures.py` created (writes go to resources kept for them: the admin
  edits its own product and codes, the warehouse its own SKU), and so are
  ids inside bodies and queries; values that are clearly invalid and safe in
  a URL are kept, so refusals are exercised too;
- has its integers as integers (OpenAPI 3.1 lets Schemathesis spell `2` as
  `2.0`, which serde refuses for integer fields);
- at the webhook, is signed like the provider signs.

The first request of each operation in a run is a known-good one (the
fixtures' ids and a valid body), so every operation is seen succeeding; the
rest are Schemathesis' own.
"""

import hashlib
import hmac
import json
import os
import re
import time

import schemathesis

IDS = json.load(open(os.environ["COMPTOIR_FUZZ_IDS"]))
ROLE = os.environ.get("COMPTOIR_FUZZ_ROLE", "anonymous")
SECRET = os.environ.get("COMPTOIR_WEBHOOK_SECRET") or "whsec_comptoir_sandbox_only"

OPAQUE = re.compile(r"^[0-9a-f]{32}$")
SKU = re.compile(r"^[A-Z0-9-]{1,64}$")
SAFE = re.compile(r"^[A-Za-z0-9_~-]+$")


def token(cookie):
    return cookie.split("=", 1)[1] if cookie else None


SESSION = {"token": token(IDS["sessions"].get(ROLE)), "password": IDS["session_account"]["password"]}
SEEN = set()
NOW = int(time.time() * 1000)
ORDER = IDS["refundable_order"]


def path_ids(label):
    """Real values for the path parameters of `label`."""
    status_order = IDS["status_order"].get(ROLE, IDS["status_order"]["warehouse"])
    table = [
        (r"^\w+ /api/catalog/products/\{id\}$", {"id": IDS["product"]}),
        (r"^\w+ /api/catalog/admin/products/\{id\}", {"id": "fuzz-produit", "sku": "FUZZ-1"}),
        (r"^\w+ /api/promotions/\{code\}/disable$", {"code": "FUZZ3"}),
        (r"^\w+ /api/promotions/\{code\}$", {"code": "FUZZ2"}),
        (r"^\w+ /api/carts/", {"id": IDS["cart"], "sku": IDS["sku"], "code": "FUZZ"}),
        (r"^\w+ /api/payments/sandbox/", {"id": IDS["sandbox_session"]}),
        (r"^POST /api/orders/\{id\}/abandon$", {"id": IDS["abandon_order"]}),
        (r"^POST /api/orders/\{id\}/status$", {"id": status_order}),
        (r"^\w+ /api/orders/\{id\}", {"id": ORDER}),
        (r"^\w+ /api/accounts/staff/", {"id": IDS["victim"]}),
        (r"^\w+ /api/accounts/customers/", {"id": IDS["customer_id"]}),
        (r"^POST /api/refunds/\{id\}/(\w+)$", None),
        (r"^POST /api/stock/purchase-orders/\{id\}/status$", {"id": IDS["po_draft"]}),
        (r"^\w+ /api/stock/purchase-orders/", {"id": IDS["po_sent"]}),
        (r"^\w+ /api/stock/", {"sku": "FUZZ-1"}),
        (r"^\w+ /api/support/threads/", {"id": IDS["thread"]}),
        (r"^\w+ /api/support/surveys/", {"order_id": IDS["rated_order"]}),
        (r"^\w+ /api/finance/documents/\{number\}$", {"number": IDS["invoice"]}),
        (r"^POST /api/finance/billing-errors/\{id\}/resolve$", {"id": IDS["billing_error"]}),
        (r"^PUT /api/finance/chart/\{role\}$", {"role": "suspense"}),
        # A year long ended: closing it succeeds (and again, the same answer).
        (r"^POST /api/finance/years/\{year\}/close$", {"year": "2001"}),
    ]
    for pattern, values in table:
        match = re.match(pattern, label)
        if match:
            if values is None:
                return {"id": IDS["refunds"][match.group(1)]}
            return values
    return {}


def seed(label):
    """A request of `label` that succeeds for the callers allowed it."""
    pw = "un mot de passe neuf"
    promotion = {
        "kind": {"type": "percentage", "bps": 500}, "min_subtotal": {"amount": 0, "currency": "EUR"},
        "starts_at_ms": NOW - 3_600_000, "ends_at_ms": None, "usage_limit": None,
        "per_customer_limit": None, "stackable": True, "active": True,
    }
    address = {"name": "Marie Curie", "line1": "11 rue Pierre et Marie Curie",
               "postal_code": "75005", "city": "Paris", "country": "FR"}
    seeds = {
        "PUT /api/carts/{id}/items": {"sku": IDS["sku"], "quantity": 1},
        "PUT /api/carts/{id}/promotions": {"code": "FUZZ"},
        "POST /api/checkout": {"cart_id": IDS["checkout_cart"], "email": "client@fuzz.test",
                               "phone": "06 12 34 56 78", "shipping_address": address},
        "POST /api/payments/sessions": {"order_id": IDS["payable_order"]},
        "POST /api/payments/sandbox/{id}": {"decision": "approve"},
        "POST /api/payments/webhook": {"id": f"evt_fuzz_{ROLE}", "type": "fuzz.seed", "data": {"object": {}}},
        "POST /api/orders/{id}/status": {"to": "cancelled" if ROLE == "support" else "picking"},
        "POST /api/orders/{id}/notes": {"body": "Note de test"},
        "POST /api/accounts/signup": {"email": f"signup-{ROLE}@fuzz.test", "password": pw},
        "POST /api/accounts/staff": {"email": f"staff-{ROLE}@fuzz.test", "password": pw, "role": "warehouse"},
        "POST /api/accounts/staff/{id}": {"role": "finance"},
        "POST /api/accounts/customers/{id}/notes": {"body": "Client fidèle"},
        "PUT /api/catalog/admin/products/{id}": {"name": "Produit de test", "category": "Tests",
                                                 "image": "/img/products/fuzz.svg"},
        "POST /api/catalog/admin/products/{id}/published": {"published": True},
        "PUT /api/catalog/admin/products/{id}/variants/{sku}": {"price": {"amount": 1200, "currency": "EUR"}},
        "POST /api/promotions": dict(promotion, code=f"NEW-{ROLE}"),
        "PUT /api/promotions/{code}": dict(promotion, code="FUZZ2"),
        "PUT /api/kpis/costs": {"fixed_monthly": {"amount": 300000, "currency": "EUR"},
                                "per_order_handling": {"amount": 150, "currency": "EUR"},
                                "payment_fee_bps": 140,
                                "per_shipment_carrier": {"amount": 600, "currency": "EUR"},
                                "shipping_sla_hours": 48},
        "POST /api/events": {"kind": "product_view", "path": "/produits/fuzz", "utm_source": "fuzz"},
        "POST /api/accounts/verify": {"token": IDS["verification_token"]},
        "PUT /api/jobs/automation": {"detractors": True, "unpicked_orders": True, "unpicked_after_hours": 24, "low_stock": True,
                                     "late_orders": True, "small_returns": False,
                                     "small_return_max": {"amount": 3000, "currency": "EUR"},
                                     "small_returns_per_customer": 2},
        "POST /api/refunds": {"order_id": ORDER, "lines": [{"sku": IDS["sku"], "quantity": 1}],
                              "reason": "Trop petit"},
        "POST /api/refunds/direct": {"order_id": IDS["direct_refund_order"],
                                     "amount": {"amount": 100, "currency": "EUR"}, "reason": "Geste"},
        "POST /api/refunds/{id}/approve": {"restock": False},
        "POST /api/refunds/{id}/decline": {"note": "Hors délai"},
        "POST /api/stock/{sku}/receipts": {"quantity": 5, "note": "Livraison"},
        "POST /api/stock/{sku}/adjustments": {"delta": -1, "reason": "Casse"},
        "POST /api/stock/purchase-orders": {"supplier_id": IDS["supplier"], "lines": [
            {"sku": "FUZZ-1", "quantity": 10, "unit_cost": {"amount": 100, "currency": "EUR"}}]},
        "POST /api/stock/purchase-orders/{id}/status": {"to": "sent"},
        "POST /api/stock/purchase-orders/{id}/receipts": {"key": f"fuzz-{ROLE}", "lines": [{"sku": "FUZZ-1", "quantity": 1}]},
        "POST /api/stock/suppliers": {"name": f"Fournisseur {ROLE}", "email": "achats@fuzz.test",
                                      "lead_time_days": 10},
        "PUT /api/stock/{sku}/supply": {"supplier_id": IDS["supplier"],
                                        "unit_cost": {"amount": 500, "currency": "EUR"},
                                        "safety_days": 7, "review_days": 14},
        "POST /api/support/threads": {"subject": "Question", "body": "Bonjour"},
        "POST /api/support/threads/{id}/messages": {"body": "Merci"},
        "POST /api/support/threads/{id}/status": {"status": "closed"},
        "POST /api/support/surveys": {"order_id": ORDER, "csat": 4, "nps": 8},
        "POST /api/finance/billing-errors/{id}/resolve": {"note": "Vu avec le prestataire"},
        "PUT /api/finance/chart/{role}": {"number": "471100", "name": "Encaissements à régulariser"},
    }
    if ROLE == "session":
        # Anywhere else, signing in would end the run's own session.
        seeds["POST /api/accounts/password"] = {"current": SESSION["password"], "new": pw}
        seeds["POST /api/accounts/signin"] = dict(IDS["session_account"], password=SESSION["password"])
    return seeds.get(label)


def ints(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list):
        return [ints(v) for v in value]
    if isinstance(value, dict):
        return {k: ints(v) for k, v in value.items()}
    return value


def real_ids_in_body(label, body):
    if not isinstance(body, dict):
        return
    targets = {
        "POST /api/checkout": ("cart_id", IDS["checkout_cart"]),
        "POST /api/payments/sessions": ("order_id", IDS["payable_order"]),
        "POST /api/refunds": ("order_id", ORDER),
        "POST /api/refunds/direct": ("order_id", IDS["direct_refund_order"]),
        "POST /api/support/surveys": ("order_id", ORDER),
        "POST /api/support/threads": ("order_id", ORDER),
    }
    if label in targets:
        key, value = targets[label]
        if isinstance(body.get(key), str) and OPAQUE.match(body[key]):
            body[key] = value
    # A verification token cannot be guessed: every string token is the
    # verify account's real one (verifying again is harmless); forged and
    # expired tokens, and tokens from another account's session, are refused
    # in e2e/tests/suite/retention.rs.
    # A beacon's path is a path: fuzzed ones mostly are not.
    if label == "POST /api/events" and isinstance(body.get("path"), str) and not body["path"].startswith("/"):
        body["path"] = "/produits/" + "".join(c for c in body["path"] if c.isalnum())[:40]
    if label == "POST /api/accounts/verify" and isinstance(body.get("token"), str):
        body["token"] = IDS["verification_token"]
    if label == "PUT /api/carts/{id}/items" and isinstance(body.get("sku"), str) and SKU.match(body["sku"]):
        body["sku"] = IDS["sku"]
    if label == "POST /api/refunds" and isinstance(body.get("lines"), list):
        for line in body["lines"]:
            if isinstance(line, dict) and isinstance(line.get("sku"), str) and SKU.match(line["sku"]):
                line["sku"] = IDS["sku"]


@schemathesis.hook
def before_call(ctx, case, kwargs):
    label = f"{case.method.upper()} {case.path}"
    first = label not in SEEN
    SEEN.add(label)

    # Path parameters: real ids, unless clearly invalid and safe in a URL.
    real = path_ids(label)
    for name, value in (case.path_parameters or {}).items():
        if name in real and (first or not (isinstance(value, str) and SAFE.match(value) and not SKU.match(value)
                                           and not OPAQUE.match(value))):
            case.path_parameters[name] = real[name]
    for key in ("order",):
        if case.query and isinstance(case.query.get(key), str) and OPAQUE.match(case.query[key]):
            case.query[key] = ORDER

    if isinstance(case.body, (dict, list, float)):
        case.body = ints(case.body)
    if first:
        good = seed(label)
        if good is not None:
            case.body = good
        if case.method.upper() == "GET" and case.query:
            case.query.clear()
    real_ids_in_body(label, case.body)

    # The session run signs in as its own account and changes its password.
    if ROLE == "session" and isinstance(case.body, dict):
        if label == "POST /api/accounts/signin" and "email" in case.body and "password" in case.body:
            case.body = dict(IDS["session_account"], password=SESSION["password"])
        if label == "POST /api/accounts/password" and "current" in case.body:
            case.body["current"] = SESSION["password"]

    # The run's session on every request, as a browser sends it — but e-mail
    # verifications in the staff runs, sent from the session of the account
    # the token names, as only it may; the anonymous and customer runs keep
    # theirs and see the refusals (401, 403).
    if case.cookies is None:
        case.cookies = {}
    case.cookies.pop("comptoir_session", None)
    if label == "POST /api/accounts/verify" and ROLE not in ("anonymous", "customer"):
        case.cookies["comptoir_session"] = token(IDS["verify_session"])
    elif SESSION["token"]:
        case.cookies["comptoir_session"] = SESSION["token"]

    # The scheduler's bearer on the job runner, except in the anonymous run
    # (which sees it refused).
    if label == "POST /api/jobs/run" and ROLE != "anonymous":
        case.headers = dict(case.headers or {}, Authorization=f"Bearer {os.environ['COMPTOIR_JOBS_SECRET']}")

    if label == "POST /api/payments/webhook" and isinstance(case.body, (dict, list)):
        raw = json.dumps(case.body, separators=(",", ":")).encode()
        stamp = int(time.time())
        mac = hmac.new(SECRET.encode(), f"{stamp}.".encode() + raw, hashlib.sha256).hexdigest()
        case.headers = dict(case.headers or {}, **{"Stripe-Signature": f"t={stamp},v1={mac}"})
        case.body = raw


@schemathesis.hook
def after_call(ctx, case, response):
    if ROLE != "session" or not (200 <= response.status_code < 300):
        return
    headers = response.headers or {}
    values = headers.get("set-cookie") or headers.get("Set-Cookie") or []
    if isinstance(values, str):
        values = [values]
    for value in values:
        pair = value.split(";")[0]
        if pair.startswith("comptoir_session=") and pair != "comptoir_session=":
            SESSION["token"] = pair.split("=", 1)[1]
    label = f"{case.method.upper()} {case.path}"
    if label == "POST /api/accounts/password" and isinstance(case.body, dict):
        SESSION["password"] = case.body.get("new", SESSION["password"])
