-- When the hour under way was last rolled up and how many raw events it
-- held then (audience::rollup): a busy hour is re-read at most once a
-- minute, not on every pass (every 2 s on the native host).
-- A row goes once its hour is closed.
CREATE TABLE audience_open_rolls (
    hour      INTEGER PRIMARY KEY,
    rolled_ms INTEGER NOT NULL,
    events    INTEGER NOT NULL
);
