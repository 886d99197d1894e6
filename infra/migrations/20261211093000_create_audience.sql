-- Audience measurement without consent (shared::audience). The salt of the
-- visitor key, one random value per UTC day: the job runner and the next
-- day's first event delete older ones, so a past day's keys cannot be
-- recomputed from an address and a user agent.
CREATE TABLE audience_salts (
    day  INTEGER PRIMARY KEY,
    salt TEXT NOT NULL
);

-- The beacon's events, append-only, kept 7 days (RAW_RETENTION_MS): the
-- visitor key (a truncated salted hash), when, the hour it falls in, what,
-- the page path, the source this event names and the device class.
CREATE TABLE audience_events (
    visitor TEXT NOT NULL,
    at_ms   INTEGER NOT NULL,
    hour    INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    path    TEXT NOT NULL,
    source  TEXT NOT NULL,
    device  TEXT NOT NULL
);
CREATE INDEX audience_events_by_hour ON audience_events (hour);
CREATE INDEX audience_events_by_time ON audience_events (at_ms);

-- The hourly roll-up the dashboard reads (kept under 13 months): for each
-- hour, step, visit source and device class, how many were counted and by
-- how many distinct visitors. Recomputed whole for an hour until the hour
-- is closed (audience_closed_hours), then never again.
CREATE TABLE audience_hourly (
    hour     INTEGER NOT NULL,
    step     TEXT NOT NULL,
    source   TEXT NOT NULL,
    device   TEXT NOT NULL,
    count    INTEGER NOT NULL,
    visitors INTEGER NOT NULL,
    PRIMARY KEY (hour, step, source, device)
);

CREATE TABLE audience_closed_hours (
    hour INTEGER PRIMARY KEY
);
