-- Customer support: threads (about an order or not) and their messages, and
-- the satisfaction survey answered once per delivered order.

CREATE TABLE support_threads (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES accounts (id),
    customer_email TEXT NOT NULL,
    order_id       TEXT REFERENCES orders (id),
    subject        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'pending', 'closed')),
    created_at     INTEGER NOT NULL
);
CREATE INDEX support_threads_by_customer ON support_threads (customer_id, created_at);
CREATE INDEX support_threads_by_status ON support_threads (status, created_at);
CREATE INDEX support_threads_by_order ON support_threads (order_id);

CREATE TABLE support_messages (
    id          TEXT PRIMARY KEY,
    thread_id   TEXT NOT NULL REFERENCES support_threads (id),
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    author      TEXT NOT NULL CHECK (author IN ('customer', 'staff')),
    author_id   TEXT NOT NULL REFERENCES accounts (id),
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    UNIQUE (thread_id, seq)
);

CREATE TABLE surveys (
    order_id    TEXT PRIMARY KEY REFERENCES orders (id),
    customer_id TEXT NOT NULL REFERENCES accounts (id),
    csat        INTEGER NOT NULL CHECK (csat BETWEEN 1 AND 5),
    nps         INTEGER NOT NULL CHECK (nps BETWEEN 0 AND 10),
    comment     TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX surveys_by_time ON surveys (at);
