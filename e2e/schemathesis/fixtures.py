"""Creates, over HTTP as a shop's page would, what the fuzzing runs need real
ids for, and writes them (with each caller's session) as JSON.

    fixtures.py BASE_URL OUT.json

Environment: COMPTOIR_ADMIN_EMAIL / COMPTOIR_ADMIN_PASSWORD (the shop's
first admin).
"""

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = sys.argv[1].rstrip("/")
OUT = sys.argv[2]
STAFF_PASSWORD = "mot de passe du personnel"
CUSTOMER_PASSWORD = "radium et polonium"
SESSION_PASSWORD = "une session a changer"


def call(method, path, body=None, cookie=None, expect=(200, 201, 204)):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Origin", BASE)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    if status not in expect:
        raise SystemExit(f"fixtures: {method} {path} answered {status}: {raw[:300]!r}")
    cookie_out = None
    for value in headers.get_all("Set-Cookie") or []:
        pair = value.split(";")[0]
        if pair.startswith("comptoir_session=") and pair != "comptoir_session=":
            cookie_out = pair
    return (json.loads(raw) if raw else None), cookie_out


def sign_in(email, password):
    return call("POST", "/api/accounts/signin", {"email": email, "password": password})[1]


admin = sign_in(os.environ["COMPTOIR_ADMIN_EMAIL"], os.environ["COMPTOIR_ADMIN_PASSWORD"])
sessions = {"admin": admin}
for role in ("support", "warehouse", "finance"):
    call("POST", "/api/accounts/staff",
         {"email": f"{role}@fuzz.test", "password": STAFF_PASSWORD, "role": role, "name": role}, admin)
    sessions[role] = sign_in(f"{role}@fuzz.test", STAFF_PASSWORD)
# A staff account for the admin run to change at will (never one a run uses).
victim = call("POST", "/api/accounts/staff",
              {"email": "victim@fuzz.test", "password": STAFF_PASSWORD, "role": "support"}, admin)[0]["id"]
customer_account, customer = call("POST", "/api/accounts/signup",
                                  {"email": "client@fuzz.test", "password": CUSTOMER_PASSWORD, "name": "Client"})
sessions["customer"] = customer
call("POST", "/api/accounts/signup", {"email": "session@fuzz.test", "password": SESSION_PASSWORD})

# What shoppers buy: a demo product with plenty of stock.
product = call("GET", "/api/catalog/products")[0]["items"][0]["id"]
sku = call("GET", f"/api/catalog/products/{product}")[0]["variants"][0]["sku"]
call("POST", f"/api/stock/{sku}/receipts", {"quantity": 100000, "note": "fuzzing"}, sessions["warehouse"])

# What the admin run edits: a product, variant and codes of its own.
call("PUT", "/api/catalog/admin/products/fuzz-produit",
     {"name": "Produit de test", "category": "Tests", "image": "/img/products/fuzz.svg"}, admin)
call("PUT", "/api/catalog/admin/products/fuzz-produit/variants/FUZZ-1",
     {"price": {"amount": 1000, "currency": "EUR"}}, admin)
call("POST", "/api/stock/FUZZ-1/receipts", {"quantity": 100000}, sessions["warehouse"])
now = int(time.time() * 1000)
for code in ("FUZZ", "FUZZ2", "FUZZ3"):
    call("POST", "/api/promotions", {
        "code": code, "kind": {"type": "percentage", "bps": 1000},
        "min_subtotal": {"amount": 0, "currency": "EUR"}, "starts_at_ms": now - 86_400_000,
        "ends_at_ms": None, "usage_limit": None, "per_customer_limit": None,
        "stackable": True, "active": True}, admin)


def cart(quantity=1):
    cart_id = call("POST", "/api/carts")[0]["id"]
    call("PUT", f"/api/carts/{cart_id}/items", {"sku": sku, "quantity": quantity})
    return cart_id


def checkout_body(cart_id):
    return {"cart_id": cart_id, "email": "client@fuzz.test", "phone": "06 12 34 56 78",
            "shipping_address": {"name": "Marie Curie", "line1": "11 rue Pierre et Marie Curie",
                                 "postal_code": "75005", "city": "Paris", "country": "FR"}}


def placed(quantity=1):
    return call("POST", "/api/checkout", checkout_body(cart(quantity)), customer)[0]["order_id"]


def session_of(order):
    return call("POST", "/api/payments/sessions", {"order_id": order})[0]["session_id"]


def paid(quantity=1):
    order = placed(quantity)
    call("POST", f"/api/payments/sandbox/{session_of(order)}", {"decision": "approve"})
    return order


def move(order, body):
    call("POST", f"/api/orders/{order}/status", body, sessions["warehouse"])


def delivered(quantity):
    order = paid(quantity)
    move(order, {"to": "picking"})
    move(order, {"to": "shipped", "shipment": {"carrier": "Colissimo", "tracking_number": "6A1"}})
    move(order, {"to": "delivered"})
    return order


pending_sandbox = placed()
ids = {
    "victim": victim,
    "customer_id": customer_account["id"],
    "product": product,
    "sku": sku,
    "cart": cart(),
    "checkout_cart": cart(),
    "abandon_order": placed(),
    "payable_order": placed(),
    "sandbox_session": session_of(pending_sandbox),
    "refundable_order": delivered(5),
    "rated_order": delivered(3),
    "status_order": {"warehouse": paid(), "support": paid(), "admin": paid()},
    "direct_refund_order": paid(),
}
call("POST", "/api/support/surveys",
     {"order_id": ids["rated_order"], "csat": 5, "nps": 9, "comment": "Parfait."}, customer)
refunds = []
for _ in range(3):
    refund = call("POST", "/api/refunds", {"order_id": ids["rated_order"],
                                           "lines": [{"sku": sku, "quantity": 1}],
                                           "reason": "Trop grand"}, customer)[0]
    refunds.append(refund["id"])
ids["refunds"] = {"approve": refunds[0], "decline": refunds[1], "execute": refunds[2]}
ids["thread"] = call("POST", "/api/support/threads",
                     {"order_id": ids["refundable_order"], "subject": "Colis", "body": "Bonjour !"},
                     customer)[0]["id"]
# A billing error for finance's queue: the provider reports a payment for
# an order the shop does not have (signed as the provider signs).
raw = json.dumps({"id": "evt_fixture_unknown_order", "type": "checkout.session.completed",
                  "data": {"object": {"id": "cs_fixture", "amount_total": 1000, "currency": "eur",
                                      "payment_status": "paid", "payment_intent": "pi_fixture",
                                      "metadata": {"order_id": "0" * 32}}}}).encode()
stamp = int(time.time())
secret = os.environ.get("COMPTOIR_WEBHOOK_SECRET") or "whsec_comptoir_sandbox_only"
mac = hmac.new(secret.encode(), f"{stamp}.".encode() + raw, hashlib.sha256).hexdigest()
hook = urllib.request.Request(BASE + "/api/payments/webhook", data=raw, method="POST",
                              headers={"Content-Type": "application/json", "Stripe-Signature": f"t={stamp},v1={mac}"})
urllib.request.urlopen(hook).read()
ids["billing_error"] = call("GET", "/api/finance/billing-errors?open=true", None, admin)[0][0]["id"]
# A paid order's invoice, which finance and admin read without its key.
ids["invoice"] = call("GET", f"/api/orders/{ids['refundable_order']}/documents")[0][0]["number"]
# A supplier, and two purchase orders of FUZZ-1 by hand: a draft for the
# runs to send, a sent one (100 000 units) for them to receive from.
ids["supplier"] = call("POST", "/api/stock/suppliers",
                       {"name": "Fournisseur de test", "email": "achats@fuzz.test", "lead_time_days": 7},
                       sessions["warehouse"])[0]["id"]
po_lines = [{"sku": "FUZZ-1", "quantity": 100000, "unit_cost": {"amount": 100, "currency": "EUR"}}]
ids["po_draft"] = call("POST", "/api/stock/purchase-orders", {"supplier_id": ids["supplier"], "lines": po_lines},
                       sessions["warehouse"])[0]["id"]
ids["po_sent"] = call("POST", "/api/stock/purchase-orders", {"supplier_id": ids["supplier"], "lines": po_lines},
                      sessions["warehouse"])[0]["id"]
call("POST", f"/api/stock/purchase-orders/{ids['po_sent']}/status", {"to": "sent"}, sessions["warehouse"])
# An account's e-mail verification token, signed as the shop signs its links
# (the outbox listing staff read masks them) with the key of this local shop,
# and that account's session: the token verifies only from it. Verifying
# again is harmless, so every run may use both. Not the customer run's
# account, which must stay unverified to ask for a link.
verify_account, verify_session = call("POST", "/api/accounts/signup",
                                      {"email": "verify@fuzz.test", "password": CUSTOMER_PASSWORD})
listed = call("GET", "/api/orders/notifications", None, sessions["support"])[0]
assert any(n["kind"] == "email_verification" and n["recipient"] == "verify@fuzz.test"
           and "[lien masqué]" in n["body"] and "token=" not in n["body"] for n in listed), "link not masked"
key = os.environ.get("COMPTOIR_VERIFICATION_SECRET") or "comptoir_dev_verification_only"
expires = int(time.time() * 1000) + 24 * 3_600_000
tag = hmac.new(key.encode(), f"comptoir-email-verification\n{verify_account['id']}\nverify@fuzz.test\n{expires}".encode(),
               hashlib.sha256).hexdigest()
ids["verification_token"] = f"{verify_account['id']}.{expires}.{tag}"
ids["verify_session"] = verify_session
ids["sessions"] = sessions
ids["session_account"] = {"email": "session@fuzz.test", "password": SESSION_PASSWORD}
with open(OUT, "w") as f:
    json.dump(ids, f, indent=1)
print(f"fixtures: {len(ids)} kinds of ids for {', '.join(sessions)}")
