-- Failed sign-ins, kept in the database so the throttle holds across
-- instances and under Spin. One row per key: `account:<e-mail>` or
-- `client:<ip>`. A sign-in counts as a failure until it succeeds, so
-- concurrent guesses cannot slip past the count.
CREATE TABLE signin_throttle (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    last_failure_at INTEGER NOT NULL,
    blocked_until   INTEGER NOT NULL
);

-- Counters nobody failed on for an hour are pruned by the next sign-in.
CREATE INDEX signin_throttle_by_last_failure ON signin_throttle (last_failure_at);
